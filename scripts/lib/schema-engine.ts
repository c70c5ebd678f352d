// Prisma's schema engine, offline: the official WASM build (@prisma/schema-engine-wasm, pinned to
// the engine build that prisma 7.10.0 pins) driven through a driver adapter. Development tooling
// only (migrate-new, the schema-engine stand-in, tests): the app applies migrations with src/db/migrate.ts.
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine, SchemaFilter, SchemasContainer } from "@prisma/schema-engine-wasm";

export type { SchemaEngine };

const require = createRequire(import.meta.url);

// tsconfig's lib (ES2023, no DOM) does not declare the WebAssembly global; this is the part used.
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
  };
};
let engineClass: Promise<typeof SchemaEngine> | undefined;

/**
 * The package is wasm-bindgen's "bundler" target, which Node cannot `import` (.wasm), so the module
 * is instantiated by hand, once per process.
 */
function loadEngineClass(): Promise<typeof SchemaEngine> {
  engineClass ??= (async () => {
    const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm"));
    const instance = new wasm.Instance(new wasm.Module(bytes), { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    // The CLI and the WASM engine must be the same build; a drift shows up as odd RPC errors.
    const { enginesVersion } = require("@prisma/engines-version") as { enginesVersion: string };
    if (!glue.version().includes(enginesVersion)) {
      console.warn(`warning: @prisma/schema-engine-wasm ${glue.version()} is not prisma's engine build ${enginesVersion}`);
    }
    return glue.SchemaEngine;
  })();
  return engineClass;
}

type BoundFactory = ReturnType<typeof bindMigrationAwareSqlAdapterFactory>;

/** A driver error reaches us as "External error id#N"; the real error waits in the registry. */
function withDriverError(bound: BoundFactory, error: unknown): unknown {
  const id = /External error id#(\d+)/.exec(String((error as Error | undefined)?.message))?.[1];
  const record = id === undefined ? undefined : bound.errorRegistry.consumeError(Number(id));
  if (record && error instanceof Error) {
    error.message += `\nCaused by: ${String(record.error)}`;
    error.cause = record.error;
  }
  return error;
}

/**
 * Wraps the factory so that:
 * - every connection the engine opens is disposed by close(): engine.free() does not, and on SQLite
 *   the engine sets locking_mode=EXCLUSIVE, so a leaked connection locks the file (SQLITE_BUSY);
 * - on SQLite, parameterless executeRaw goes through executeScript: the engine replays a whole
 *   migration.sql into the shadow database in one executeRaw, and better-sqlite3's prepare()
 *   accepts one statement only.
 */
function trackingFactory(
  factory: SqlMigrationAwareDriverAdapterFactory,
  opened: SqlDriverAdapter[],
): SqlMigrationAwareDriverAdapterFactory {
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    opened.push(adapter);
    if (factory.provider !== "sqlite") return adapter;
    return new Proxy(adapter, {
      get(target, property) {
        if (property === "executeRaw") {
          return async (query: SqlQuery) => (query.args.length > 0 ? target.executeRaw(query) : (await target.executeScript(query.sql), 0));
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
}

export interface EngineHandle {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/** Opens an engine on the factory's database (the factory also provides shadow databases). */
export async function openEngine(factory: SqlMigrationAwareDriverAdapterFactory, schema?: SchemasContainer): Promise<EngineHandle> {
  const Engine = await loadEngineClass();
  const opened: SqlDriverAdapter[] = [];
  const bound = bindMigrationAwareSqlAdapterFactory(trackingFactory(factory, opened));
  const debug = process.env.SCHEMA_ENGINE_DEBUG === "1";
  const disposeAll = async () => {
    for (const adapter of opened.splice(0)) await adapter.dispose().catch(() => undefined);
  };
  let engine: SchemaEngine;
  try {
    engine = await Engine.new(
      { datamodels: schema?.files.map((file): [string, string] => [file.path, file.content]) },
      (message: string) => {
        if (debug) process.stderr.write(`[schema-engine] ${message}\n`);
      },
      bound,
    );
  } catch (error) {
    await disposeAll();
    throw withDriverError(bound, error);
  }
  const withErrors = new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || property === "free") return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          throw withDriverError(bound, error);
        }
      };
    },
  });
  return {
    engine: withErrors,
    close: async () => {
      engine.free();
      await disposeAll();
    },
  };
}

export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

export async function readSchema(schemaPath: string): Promise<SchemasContainer> {
  return { files: [{ path: schemaPath, content: await readFile(schemaPath, "utf8") }] };
}

/** The same list the CLI builds: sorted `<dir>/migration.sql`, plus migration_lock.toml. */
export async function listMigrations(migrationsDir: string): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const lockfile = await readFile(path.join(baseDir, "migration_lock.toml"), "utf8").catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: lockfile },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(path.join(baseDir, name, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (error: unknown) => ({ tag: "error" as const, value: String(error) }),
          ),
        },
      })),
    ),
  };
}

/**
 * SQL that takes a database built by the migrations in migrationsDir to schemaPath, as
 * `prisma migrate diff --from-migrations --to-schema --script` prints it: comments only (or
 * nothing) when they agree. The migrations are replayed into the factory's shadow database.
 */
export async function diffMigrationsToSchema(
  factory: SqlMigrationAwareDriverAdapterFactory,
  migrationsDir: string,
  schemaPath: string,
): Promise<string> {
  const schema = await readSchema(schemaPath);
  const migrations = await listMigrations(migrationsDir);
  const handle = await openEngine(factory);
  try {
    const result = await handle.engine.diff({
      // With no migration yet there is no migration_lock.toml to name the connector: diff from empty.
      from: migrations.migrationDirectories.length > 0 ? { tag: "migrations", ...migrations } : { tag: "empty" },
      to: { tag: "schemaDatamodel", ...schema },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return result.stdout ?? "";
  } finally {
    await handle.close();
  }
}

/** True when a diff script holds a statement, not just comments and blank lines. */
export function hasStatements(sql: string): boolean {
  return sql.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("--"));
}

/**
 * The next migration's script as `prisma migrate dev --create-only` writes it: with the engine's
 * data-loss warnings as a comment block on top (`diff` leaves them out), or null when the schema
 * matches the migrations. The factory's database must be at the migrations' state (a scratch
 * database migrated for the purpose): the engine checks it for drift first. In the WASM engine
 * createMigration cannot open a shadow database; it reads what devDiagnostic computed in one.
 */
export async function createMigrationScript(
  factory: SqlMigrationAwareDriverAdapterFactory,
  migrationsDir: string,
  schemaPath: string,
  name: string,
): Promise<string | null> {
  const schema = await readSchema(schemaPath);
  const migrationsList = await listMigrations(migrationsDir);
  const handle = await openEngine(factory, schema);
  try {
    const diagnostic = await handle.engine.devDiagnostic({ migrationsList, filters: NO_FILTER });
    if (diagnostic.action.tag === "reset") throw new Error(`the scratch database drifted from the migrations: ${diagnostic.action.reason}`);
    const result = await handle.engine.createMigration({ draft: false, migrationName: name, migrationsList, schema, filters: NO_FILTER });
    return result.migrationScript ?? null;
  } finally {
    await handle.close();
  }
}
