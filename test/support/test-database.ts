// Fresh, migrated databases for tests, and a way to run one suite against each database.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { createPrismaClient, type Db } from "../../src/db/create-prisma-client.js";
import type { DatabaseProvider } from "../../src/db/database-url.js";
import { migrateDatabase } from "../../src/db/migrate.js";

export const DATABASE_PROVIDERS: readonly DatabaseProvider[] = ["sqlite", "postgresql"];

export interface TestDatabase {
  provider: DatabaseProvider;
  url: string;
  /** A client for the database; disconnected by close(). */
  readonly db: Db;
  /** Disconnects the client and deletes the database. Idempotent. */
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply the migrations (default). false: an empty database, for the migration tests. */
  migrate?: boolean;
}

/** The PostgreSQL server from the global setup, or null when the PostgreSQL suites are skipped. */
export function postgresServerUrl(): string | null {
  return inject("postgresUrl");
}

export async function createTestDatabase(provider: DatabaseProvider, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { url, drop } = provider === "sqlite" ? createSqliteFile() : await createPostgresDatabase();
  try {
    if (options.migrate ?? true) await migrateDatabase(url);
  } catch (error) {
    await drop();
    throw error;
  }
  // The client connects on its first query.
  let client: Db | undefined = await createPrismaClient(url);
  let closed = false;
  return {
    provider,
    url,
    get db() {
      if (!client) throw new Error("test database closed");
      return client;
    },
    async close() {
      if (closed) return;
      closed = true;
      await client?.$disconnect();
      client = undefined;
      await drop();
    },
  };
}

function createSqliteFile(): { url: string; drop: () => Promise<void> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ordergram-test-"));
  return {
    url: `file:${path.join(dir, "ordergram.db")}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = postgresServerUrl();
  if (!server) throw new Error("no PostgreSQL server for the tests (see test/support/postgres-global-setup.ts)");
  const name = `og_test_${randomBytes(6).toString("hex")}`;
  await withAdminClient(server, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a pool that is still closing must not keep the database alive.
    drop: () => withAdminClient(server, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Declares the suite once per database: `describe("<name> on sqlite")` and `describe("<name> on
 * postgresql")`, each with its own fresh migrated database for the whole suite (tests in a suite
 * share it: use unique ids). The PostgreSQL suite is skipped only when no server is available,
 * which the global setup allows outside CI only.
 */
export function describeEachDatabase(name: string, body: (getDb: () => Db, provider: DatabaseProvider) => void): void {
  for (const provider of DATABASE_PROVIDERS) {
    describe.skipIf(provider === "postgresql" && !postgresServerUrl())(`${name} on ${provider}`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(provider);
      });
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error(`${name} on ${provider}: the database is created in beforeAll; use getDb() inside tests`);
        return database.db;
      }, provider);
    });
  }
}
