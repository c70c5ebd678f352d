// Applies the committed migrations at start-up, without Prisma's schema engine (which is a native
// download, or a 10 MB WASM devDependency). Every migration is recorded in `_prisma_migrations`
// exactly as the engine records it (same table, sha256 checksum, same PostgreSQL advisory lock),
// so the official `prisma migrate status/deploy/resolve` keep working on databases built here.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { ensureSqliteDirectory, providerOf, redactDatabaseUrl, sqliteFilePath, type DatabaseProvider } from "./database-url.js";
import { packageRoot } from "./package-root.js";

/** The schema engine's own DDL for its bookkeeping table (IF NOT EXISTS added: we run it every start). */
export const MIGRATIONS_TABLE_DDL: Readonly<Record<DatabaseProvider, string>> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`,
};

/** The advisory lock id Prisma's schema engine takes, so we also exclude a concurrent `prisma migrate`. */
const POSTGRES_MIGRATION_LOCK_ID = 72707369;

export class MigrationError extends Error {
  override readonly name = "MigrationError";
  constructor(
    message: string,
    readonly migrationName?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface MigrateOptions {
  /** Defaults to the committed folder for the URL's provider (see migrationsDirectory). */
  migrationsDir?: string;
}

export interface MigrateResult {
  /** Names of the migrations applied by this call, in order; empty when the database was up to date. */
  applied: string[];
}

/** prisma/migrations (SQLite) or prisma/postgres/migrations, in ordergram's package. */
export function migrationsDirectory(provider: DatabaseProvider): string {
  return path.join(packageRoot(), provider === "sqlite" ? "prisma/migrations" : "prisma/postgres/migrations");
}

/** sha256 of the script, hex: the checksum the schema engine stores. */
export function migrationChecksum(script: string): string {
  return createHash("sha256").update(script).digest("hex");
}

/** Like the engine, a checkout with CRLF line endings still matches a checksum taken with LF. */
function matchesChecksum(script: string, checksum: string): boolean {
  return migrationChecksum(script) === checksum || migrationChecksum(script.replace(/\r\n/g, "\n")) === checksum;
}

interface MigrationRow {
  id: string;
  migration_name: string;
  checksum: string;
  started_at: unknown;
  finished_at: unknown;
  rolled_back_at: unknown;
  logs: string | null;
}

interface LocalMigration {
  name: string;
  script: string;
}

/**
 * What the two databases must provide. `apply` runs one migration script and records it, and is
 * where they differ: SQLite wraps it in a transaction, PostgreSQL relies on the simple query
 * protocol's implicit transaction, as the engine does.
 */
interface MigrationConnection {
  /** Runs fn while holding the lock that keeps concurrent migrators out. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  rows(): Promise<MigrationRow[]>;
  apply(migration: LocalMigration): Promise<"applied" | "already-applied">;
  close(): Promise<void>;
}

export async function migrateDatabase(url: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const provider = providerOf(url);
  const dir = options.migrationsDir ?? migrationsDirectory(provider);
  const local = await readMigrations(dir, provider);
  const connection = provider === "sqlite" ? openSqlite(url) : await openPostgres(url);
  const applied: string[] = [];
  try {
    await connection.exclusive(async () => {
      const rows = await connection.rows();
      checkHistory(rows, local, dir);
      const done = new Set(rows.filter(isApplied).map((row) => row.migration_name));
      for (const migration of local) {
        if (done.has(migration.name)) continue;
        if ((await connection.apply(migration)) === "applied") applied.push(migration.name);
      }
    });
  } finally {
    await connection.close();
  }
  return { applied };
}

async function readMigrations(dir: string, provider: DatabaseProvider): Promise<LocalMigration[]> {
  const lock = await readFile(path.join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  if (lock !== null && !new RegExp(`provider\\s*=\\s*"${provider}"`).test(lock)) {
    throw new MigrationError(`${dir} holds migrations for another database than ${provider} (see its migration_lock.toml)`);
  }
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new MigrationError(`migrations folder not found: ${dir}`, undefined, { cause: error });
    throw error;
  });
  // Directory names start with a UTC timestamp, so name order is creation order (as in the engine).
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(names.map(async (name) => ({ name, script: await readFile(path.join(dir, name, "migration.sql"), "utf8") })));
}

const isApplied = (row: MigrationRow): boolean => row.finished_at != null && row.rolled_back_at == null;
const isFailed = (row: MigrationRow): boolean => row.finished_at == null && row.rolled_back_at == null;

/** Refuses to build on a history that is not the one in the repository. */
function checkHistory(rows: MigrationRow[], local: LocalMigration[], dir: string): void {
  const failed = rows.find(isFailed);
  if (failed) {
    const firstLogLine = failed.logs?.split("\n").find((line) => line.trim() !== "") ?? "no log";
    throw new MigrationError(
      `Migration ${failed.migration_name} failed or was interrupted (started ${String(failed.started_at)}: ${firstLogLine}). ` +
        `Refusing to apply more migrations over it (Prisma's P3009). Repair the database by hand, then run ` +
        `\`npx prisma migrate resolve --rolled-back ${failed.migration_name}\` (to retry it) or ` +
        `\`--applied ${failed.migration_name}\`, and start again.`,
      failed.migration_name,
    );
  }
  const byName = new Map(local.map((migration) => [migration.name, migration]));
  for (const row of rows.filter(isApplied)) {
    // A recorded migration without a file is tolerated: it is what running an older release
    // against a newer database looks like, and refusing would block rollbacks.
    const migration = byName.get(row.migration_name);
    if (migration && !matchesChecksum(migration.script, row.checksum)) {
      throw new MigrationError(
        `Migration ${row.migration_name} was modified after it was applied: ` +
          `${path.join(dir, row.migration_name, "migration.sql")} has checksum ${migrationChecksum(migration.script)}, ` +
          `the database recorded ${row.checksum}. Restore the file and put the change in a new migration.`,
        row.migration_name,
      );
    }
  }
}

function failure(migration: LocalMigration, error: unknown): MigrationError {
  return new MigrationError(
    `Migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`,
    migration.name,
    { cause: error },
  );
}

/** The engine writes SQLite timestamps as RFC 3339 text with an explicit offset. */
const sqliteNow = (): string => new Date().toISOString().replace("Z", "+00:00");

function openSqlite(url: string): MigrationConnection {
  ensureSqliteDirectory(url);
  const db = new Database(sqliteFilePath(url), { timeout: 15_000 });
  // Persistent for the file; set here as well because the first connection is this one.
  db.pragma("journal_mode = WAL");
  // Prisma's table redefinitions (DROP + rename) must not cascade or fail on foreign keys half-way,
  // and `PRAGMA foreign_keys` is a no-op inside a transaction, so keep them off on this connection
  // and check the result with foreign_key_check before each commit instead.
  db.pragma("foreign_keys = OFF");
  const rows = (): MigrationRow[] =>
    db
      .prepare(`SELECT id, migration_name, checksum, started_at, finished_at, rolled_back_at, logs FROM "_prisma_migrations"`)
      .all() as MigrationRow[];
  return {
    // SQLite has no advisory locks; each migration takes the write lock (BEGIN IMMEDIATE) and
    // re-checks the table under it, so two processes starting together apply each migration once.
    async exclusive(fn) {
      db.exec(MIGRATIONS_TABLE_DDL.sqlite);
      return fn();
    },
    rows: async () => rows(),
    async apply(migration) {
      const startedAt = sqliteNow();
      db.exec("BEGIN IMMEDIATE");
      try {
        if (rows().some((row) => row.migration_name === migration.name && (isApplied(row) || isFailed(row)))) {
          db.exec("ROLLBACK");
          return "already-applied";
        }
        db.exec(migration.script);
        const violations = db.prepare("PRAGMA foreign_key_check").all();
        if (violations.length > 0) throw new Error(`foreign key violations after the migration: ${JSON.stringify(violations.slice(0, 5))}`);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, ` +
            `applied_steps_count)
           VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
        ).run(randomUUID(), migrationChecksum(migration.script), sqliteNow(), migration.name, startedAt);
        db.exec("COMMIT");
        return "applied";
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        // Recorded as failed, like the engine does, so nothing runs over it until someone looks.
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count) ` +
            `VALUES (?, ?, ?, ?, ?, 0)`,
        ).run(randomUUID(), migrationChecksum(migration.script), migration.name, String(error), startedAt);
        throw failure(migration, error);
      }
    },
    async close() {
      db.close();
    },
  };
}

async function openPostgres(url: string): Promise<MigrationConnection> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationError(`cannot connect to ${redactDatabaseUrl(url)}: ${(error as Error).message}`, undefined, { cause: error });
  }
  return {
    // Session-level advisory lock: a second instance starting at the same time waits here, then
    // finds the migrations applied.
    async exclusive(fn) {
      await client.query("SELECT pg_advisory_lock($1)", [POSTGRES_MIGRATION_LOCK_ID]);
      try {
        await client.query(MIGRATIONS_TABLE_DDL.postgresql);
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [POSTGRES_MIGRATION_LOCK_ID]);
      }
    },
    rows: async () =>
      (
        await client.query<MigrationRow>(
          `SELECT id, migration_name, checksum, started_at, finished_at, rolled_back_at, logs FROM "_prisma_migrations"`,
        )
      ).rows,
    async apply(migration) {
      const id = randomUUID();
      // As the engine: record the start, run the script in one simple-protocol query (one implicit
      // transaction for all its statements), then record the end, or the error.
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
        [id, migrationChecksum(migration.script), migration.name],
      );
      try {
        await client.query(migration.script);
      } catch (error) {
        await client.query(`UPDATE "_prisma_migrations" SET logs = $1 WHERE id = $2`, [String(error), id]);
        throw failure(migration, error);
      }
      await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
      return "applied";
    },
    async close() {
      await client.end();
    },
  };
}
