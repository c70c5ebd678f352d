import { existsSync, readFileSync, realpathSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { ensureSqliteDirectory, providerOf, sqliteFilePath } from "./database-url.js";

/**
 * One ordergram instance per SQLite file. Two would both run the scheduler and the outbox on one
 * file (SQLite has no row locks to lease with across processes as PostgreSQL does) and both poll
 * Telegram. So the instance holds `<database file>.instance.lock`, naming its host and process,
 * and a second one refuses to start while that process lives. A lock left by a killed process is
 * taken over at the next start.
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

/** Locks this process holds (several apps in one process: tests). */
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockOwner;
  } catch {
    return null;
  }
}

/** Takes the SQLite file's instance lock; null for PostgreSQL (several instances may share it). */
export function acquireInstanceLock(databaseUrl: string, now: Date): InstanceLock | null {
  if (providerOf(databaseUrl) !== "sqlite") return null;
  const database = sqliteFilePath(databaseUrl);
  if (database === ":memory:") return null;
  ensureSqliteDirectory(databaseUrl);
  // The real path, so a symlink (to the file or a directory on the way) names the same lock.
  const resolved = path.resolve(database);
  const real = existsSync(resolved) ? realpathSync(resolved) : path.join(realpathSync(path.dirname(resolved)), path.basename(resolved));
  const file = `${real}.instance.lock`;
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: now.toISOString() };

  if (held.has(file)) {
    throw new InstanceLockError(`Another ordergram instance in this process already uses ${database}. SQLite allows one instance per database file; use PostgreSQL to run several.`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      held.add(file);
      return {
        file,
        release() {
          held.delete(file);
          const owner = readOwner(file);
          if (owner?.pid === me.pid && owner.startedAt === me.startedAt) unlinkSync(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = readOwner(file);
    if (owner && owner.host !== me.host) {
      throw new InstanceLockError(
        `${database} is in use by an ordergram instance on host ${owner.host} (pid ${owner.pid}, since ${owner.startedAt}). SQLite allows one instance per database file; use PostgreSQL to run several. If no instance runs there any more, delete ${file}.`,
      );
    }
    // Our own pid with no lock held in this process: a restarted container reusing the pid.
    if (owner && owner.pid !== me.pid && isAlive(owner.pid)) {
      throw new InstanceLockError(
        `${database} is in use by another ordergram instance (pid ${owner.pid}, since ${owner.startedAt}). SQLite allows one instance per database file; stop the other one, or use PostgreSQL to run several.`,
      );
    }
    // Left by a process that is gone (killed, crashed): take it over.
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  throw new InstanceLockError(`Could not take the instance lock ${file}: another instance is starting at the same moment.`);
}
