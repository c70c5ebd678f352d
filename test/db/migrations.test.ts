import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DatabaseProvider } from "../../src/db/database-url.js";
import { migrateDatabase, migrationsDirectory } from "../../src/db/migrate.js";
import { packageRoot } from "../../src/db/package-root.js";
import { withTransaction } from "../../src/db/transaction.js";
import { derivePostgresSchema } from "../../scripts/lib/derive-postgres-schema.mjs";
import { migrationAdapterFor } from "../../scripts/lib/migration-adapter.js";
import { diffMigrationsToSchema, hasStatements } from "../../scripts/lib/schema-engine.js";
import { createTestDatabase, DATABASE_PROVIDERS, postgresServerUrl, type TestDatabase } from "../support/test-database.js";

const root = packageRoot();
const sqliteSchemaPath = path.join(root, "prisma/schema.prisma");
const postgresSchemaPath = path.join(root, "prisma/postgres/schema.prisma");

const migrationNames = (provider: DatabaseProvider): string[] =>
  readdirSync(migrationsDirectory(provider), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

/** Table names of the schema's models (@@map honoured), so new models need no test change. */
function modelTables(): string[] {
  const schema = readFileSync(sqliteSchemaPath, "utf8");
  return [...schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)].map(
    ([, name, body]) => /@@map\("([^"]+)"\)/.exec(body ?? "")?.[1] ?? name ?? "",
  );
}

async function tableNames(database: TestDatabase): Promise<string[]> {
  const rows =
    database.provider === "sqlite"
      ? await database.db.$queryRaw<Array<{ name: string }>>`SELECT name FROM sqlite_master WHERE type = 'table'`
      : await database.db.$queryRaw<
          Array<{ name: string }>
        >`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`;
  return rows.map((row) => row.name);
}

/** A copy of the committed migrations the test may edit. */
function copyMigrations(provider: DatabaseProvider): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "ordergram-migrations-")), "migrations");
  cpSync(migrationsDirectory(provider), dir, { recursive: true });
  return dir;
}

for (const provider of DATABASE_PROVIDERS) {
  describe.skipIf(provider === "postgresql" && !postgresServerUrl())(`migrations on ${provider}`, () => {
    const open: TestDatabase[] = [];
    const fresh = async (migrate: boolean) => {
      const database = await createTestDatabase(provider, { migrate });
      open.push(database);
      return database;
    };
    const scratchDirs: string[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((database) => database.close()));
      for (const dir of scratchDirs.splice(0)) rmSync(path.dirname(dir), { recursive: true, force: true });
    });
    const scratchMigrations = () => {
      const dir = copyMigrations(provider);
      scratchDirs.push(dir);
      return dir;
    };

    it("applies every migration to a fresh database, then nothing", async () => {
      const database = await fresh(false);
      const first = await migrateDatabase(database.url);
      expect(first.applied).toEqual(migrationNames(provider));
      expect(first.applied.length).toBeGreaterThan(0);
      expect(await tableNames(database)).toEqual(expect.arrayContaining([...modelTables(), "_prisma_migrations"]));

      expect(await migrateDatabase(database.url)).toEqual({ applied: [] });
      const recorded = await database.db.$queryRawUnsafe<Array<{ migration_name: string; finished: boolean }>>(
        `SELECT migration_name, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(recorded.map((row) => row.migration_name)).toEqual(migrationNames(provider));
      expect(recorded.every((row) => Boolean(row.finished))).toBe(true);
    });

    it("lets two instances starting together apply each migration once", async () => {
      const database = await fresh(false);
      const results = await Promise.all([migrateDatabase(database.url), migrateDatabase(database.url)]);
      expect(results.flatMap((result) => result.applied).sort()).toEqual(migrationNames(provider));
    });

    it("round-trips BigInt, Json and DateTime through the client", async () => {
      const { db } = await fresh(true);
      const telegramUserId = 2n ** 53n + 1n; // not representable as a JS number
      const unreachableAt = new Date("2024-02-29T23:59:58.123Z");
      const customerId = randomUUID();
      await db.customer.create({ data: { id: customerId, name: "Ада", telegramUserId, unreachableAt } });
      const customer = await db.customer.findUniqueOrThrow({ where: { telegramUserId } });
      expect(customer).toMatchObject({ id: customerId, name: "Ада", telegramUserId, unreachableAt });
      expect(customer.createdAt).toBeInstanceOf(Date);

      // A Json column's default (quoted by hand on SQLite, see scripts/lib/sqlite-json-defaults.ts).
      const job = await db.job.create({
        data: { id: randomUUID(), kind: "nudge", dueAt: unreachableAt, dedupeKey: `nudge:${customerId}` },
      });
      expect(job.payload).toEqual({});
      const payload = { items: [1, "two", { three: null }], nested: { ok: true, text: 'it\'s "quoted"' } };
      await db.job.update({ where: { id: job.id }, data: { payload } });
      expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).payload).toEqual(payload);

      const chatId = -1_001_234_567_890_123n; // supergroup ids are negative and beyond 2^53
      const outbox = await db.outboxMessage.create({
        data: {
          id: randomUUID(),
          channel: "telegram",
          idempotencyKey: randomUUID(),
          chatId,
          payload: { method: "sendMessage" },
          nextAttemptAt: unreachableAt,
        },
      });
      expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: outbox.id } })).toMatchObject({
        chatId,
        payload: { method: "sendMessage" },
        nextAttemptAt: unreachableAt,
      });
    });

    it("does not let a write outside a transaction join it (and vanish when it rolls back)", async () => {
      const { db } = await fresh(true);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const transaction = withTransaction(db, async (tx) => {
        await tx.customer.create({ data: { id: "inside", name: "inside" } });
        entered();
        await gate;
        throw new Error("roll back");
      }).catch((error: Error) => error.message);
      await inside;
      const outside = db.customer.create({ data: { id: "outside", name: "outside" } });
      setTimeout(release, 50);
      await outside;
      expect(await transaction).toBe("roll back");
      expect((await db.customer.findMany({ orderBy: { id: "asc" } })).map((customer) => customer.id)).toEqual(["outside"]);
    });

    it("refuses a migration whose file changed after it was applied, naming it", async () => {
      const database = await fresh(true);
      const dir = scratchMigrations();
      const [first] = migrationNames(provider);
      appendFileSync(path.join(dir, first!, "migration.sql"), "\n-- edited after the fact\n");
      const attempt = migrateDatabase(database.url, { migrationsDir: dir });
      await expect(attempt).rejects.toThrow(`Migration ${first} was modified after it was applied`);
    });

    it("refuses to run over a migration recorded as failed", async () => {
      const database = await fresh(true);
      await database.db.$executeRawUnsafe(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, applied_steps_count) VALUES ('${randomUUID()}', 'x', ` +
          `'20990101000000_broken', 'relation "x" does not exist', 0)`,
      );
      await expect(migrateDatabase(database.url)).rejects.toThrow(/Migration 20990101000000_broken failed or was interrupted/);
    });

    it("records a failing migration as failed, leaves no part of it, and then refuses to continue", async () => {
      const database = await fresh(true);
      const dir = scratchMigrations();
      const broken = "29991231235959_broken";
      mkdirSync(path.join(dir, broken));
      writeFileSync(path.join(dir, broken, "migration.sql"), `CREATE TABLE "Half" ("id" INTEGER);\nSELECT * FROM "NoSuchTable";\n`);
      await expect(migrateDatabase(database.url, { migrationsDir: dir })).rejects.toThrow(`Migration ${broken} failed`);
      expect(await tableNames(database)).not.toContain("Half");
      await expect(migrateDatabase(database.url, { migrationsDir: dir })).rejects.toThrow(`Migration ${broken} failed or was interrupted`);
    });
  });
}

describe("committed migrations", () => {
  const hint = "prisma/schema.prisma changed without a migration: run `npm run db:migrate:new <name>` and commit the result";

  it("prisma/postgres/schema.prisma is the derivation of prisma/schema.prisma", () => {
    expect(readFileSync(postgresSchemaPath, "utf8"), "run `npm run db:generate`").toBe(
      derivePostgresSchema(readFileSync(sqliteSchemaPath, "utf8")),
    );
  });

  it("exist under the same names for both databases", () => {
    expect(migrationNames("postgresql")).toEqual(migrationNames("sqlite"));
  });

  it("build prisma/schema.prisma exactly on SQLite", async () => {
    const sql = await diffMigrationsToSchema(migrationAdapterFor(":memory:"), migrationsDirectory("sqlite"), sqliteSchemaPath);
    expect(hasStatements(sql) ? sql : "", hint).toBe("");
  });

  it.skipIf(!postgresServerUrl())("build prisma/postgres/schema.prisma exactly on PostgreSQL", async () => {
    const sql = await diffMigrationsToSchema(
      migrationAdapterFor(postgresServerUrl()!),
      migrationsDirectory("postgresql"),
      postgresSchemaPath,
    );
    expect(hasStatements(sql) ? sql : "", hint).toBe("");
  });
});

describe("npm run db:migrate:new", () => {
  // In a copy of the project (its schema and migrations may be edited there), with the test's
  // PostgreSQL server: a schema change becomes the next migration of both databases, offline.
  it.skipIf(!postgresServerUrl())(
    "writes the next migration for SQLite and PostgreSQL from a schema change, and nothing when there is none",
    async () => {
      const copy = mkdtempSync(path.join(os.tmpdir(), "og-migrate-new-"));
      try {
        for (const part of ["package.json", "prisma", "scripts", "src/db", "src/shared"])
          cpSync(path.join(root, part), path.join(copy, part), { recursive: true });
        symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"));
        const migrateNew = (name: string) =>
          spawnSync(process.execPath, ["--import", "tsx", "scripts/migrate-new.ts", name], {
            cwd: copy,
            encoding: "utf8",
            env: { ...process.env, TEST_DATABASE_URL: postgresServerUrl()!, DATABASE_URL: "" },
          });
        const unchanged = migrateNew("nothing");
        expect(unchanged.status, unchanged.stderr).toBe(0);
        expect(unchanged.stdout).toContain("No change");

        appendFileSync(path.join(copy, "prisma/schema.prisma"), "\nmodel MigrationProbe {\n  id   String @id\n  note String?\n}\n");
        const added = migrateNew("Add migration probe");
        expect(added.status, added.stderr).toBe(0);
        for (const provider of ["", "postgres/"]) {
          const dir = path.join(copy, "prisma", provider, "migrations");
          const newest = readdirSync(dir, { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => e.name)
            .sort()
            .at(-1)!;
          expect(newest).toMatch(/^\d{14}_add_migration_probe$/);
          expect(readFileSync(path.join(dir, newest, "migration.sql"), "utf8")).toMatch(/CREATE TABLE "MigrationProbe"/);
        }
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
