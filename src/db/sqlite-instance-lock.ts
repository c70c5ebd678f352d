import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { ensureSqliteDirectory, providerOf, sqliteFilePath } from "./database-url.js";

/**
 * One ordergram instance per SQLite file. Two would both run the scheduler and the outbox on one
 * file (SQLite has no row locks to lease with across processes as PostgreSQL does) and both poll
 * Telegram. So the instance holds an operating-system lock on `<database file>.instance.lock`:
 * a write transaction SQLite keeps open on that (empty) file, which is a POSIX advisory lock that
 * the kernel drops when the process ends, however it ends. A second instance, in this process or
 * another, on this host or in another container on the same volume, is refused while the first
 * lives; a lock left by a killed process (kill -9, a re-created container with another host name)
 * is free at once, with no pid to check and nothing for a person to delete.
 * `<database file>.instance.json` names the holder (host, pid, since) for the refusal message.
 */
export class InstanceLockError extends Error {
  override readonly name = "InstanceLockError";
}

export interface InstanceLock {
  readonly file: string;
  release(): void;
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** The database's real path (a symlink to the file, or to a directory on the way, names the same lock). */
function realDatabasePath(database: string): string {
  const resolved = path.resolve(database);
  // A file that does not exist yet is created (an empty file is an empty SQLite database), so a
  // dangling symlink resolves to the file SQLite would create through it.
  if (!existsSync(resolved)) writeFileSync(resolved, "", { flag: "a" });
  return realpathSync(resolved);
}

function readOwner(file: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockOwner;
  } catch {
    return null;
  }
}

/** Opens the lock file and takes its write lock; null when another connection holds it. */
function takeFileLock(file: string): Database.Database | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    const connection = new Database(file, { timeout: 0 });
    try {
      connection.exec("BEGIN IMMEDIATE");
      return connection;
    } catch (error) {
      connection.close();
      const code = (error as { code?: string }).code;
      if (code === "SQLITE_BUSY") return null;
      // A JSON lock file an older ordergram wrote (it checked pids): not a database, replaced.
      if (code === "SQLITE_NOTADB" && attempt === 0) writeFileSync(file, "");
      else throw error;
    }
  }
  return null;
}

/**
 * Takes the SQLite file's instance lock; null for PostgreSQL (several instances may share it).
 * `host` names this instance in the owner file (default: the machine's host name).
 */
export function acquireInstanceLock(databaseUrl: string, now: Date, options: { host?: string } = {}): InstanceLock | null {
  if (providerOf(databaseUrl) !== "sqlite") return null;
  const database = sqliteFilePath(databaseUrl);
  if (database === ":memory:") return null;
  ensureSqliteDirectory(databaseUrl);
  const real = realDatabasePath(database);
  // Never deleted: a file unlinked while another process opens it would let two hold "the" lock.
  const file = `${real}.instance.lock`;
  const ownerFile = `${real}.instance.json`;

  const connection = takeFileLock(file);
  if (!connection) {
    const owner = readOwner(ownerFile);
    const who = owner ? `on host ${owner.host} (pid ${owner.pid}, since ${owner.startedAt})` : "(starting now)";
    throw new InstanceLockError(
      `${database} is in use by another ordergram instance ${who}; it holds ${file}. SQLite allows one instance per database file: stop ` +
        `the other one, or use PostgreSQL to run several. The lock ends with that process, however it ends.`,
    );
  }
  const me: LockOwner = { pid: process.pid, host: options.host ?? hostname(), startedAt: now.toISOString() };
  writeFileSync(ownerFile, JSON.stringify(me));
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      // The owner file first: once the lock is free, the next holder writes its own.
      const owner = readOwner(ownerFile);
      if (owner?.pid === me.pid && owner.startedAt === me.startedAt) rmSync(ownerFile, { force: true });
      connection.close();
    },
  };
}
