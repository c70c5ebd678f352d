// Stand-in for the native `schema-engine` binary, so that the official Prisma CLI works offline
// (prisma migrate status / diff / deploy / resolve, db push). Started through scripts/schema-engine,
// which prisma.config.ts names in PRISMA_SCHEMA_ENGINE_BINARY. It speaks the CLI's line-delimited
// JSON-RPC on stdin/stdout and forwards each call to @prisma/schema-engine-wasm. That protocol is
// internal to Prisma: it holds for the pinned 7.10.0, re-check it when upgrading.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import Database from "better-sqlite3";
import pg from "pg";
import { ensureSqliteDirectory, providerOf, sqliteFilePath } from "../src/db/database-url.js";
import { MIGRATIONS_TABLE_DDL } from "../src/db/migrate.js";
import { migrationAdapterFor } from "./lib/migration-adapter.js";
import { openEngine, type EngineHandle } from "./lib/schema-engine.js";

const ENGINE_HASH = "0edf323efd1d98336f3f0a68684b56f689b900d3";

const argv = process.argv.slice(2);
const datamodelPaths: string[] = [];
let datasource: { url?: string } = {};
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (arg === "--datamodels" || arg === "-d") datamodelPaths.push(argv[++i] ?? "");
  else if (arg === "--datasource") datasource = JSON.parse(argv[++i] ?? "{}") as { url?: string };
  else if (arg === "--version" || arg === "-V") {
    console.log(`schema-engine-cli ${ENGINE_HASH} (wasm stand-in)`);
    process.exit(0);
  }
}
const url = datasource.url ?? process.env.DATABASE_URL;

/** The CLI reads errors as the engine's JSON log lines on stderr. */
function logError(message: string, errorCode?: string): void {
  const fields = { message, ...(errorCode ? { error_code: errorCode } : {}) };
  process.stderr.write(
    `${JSON.stringify({ timestamp: new Date().toISOString(), level: "ERROR", target: "schema_engine::logger", fields })}\n`,
  );
}

// `schema-engine --datasource {...} cli <command>`: the CLI's database existence checks.
const cliIndex = argv.indexOf("cli");
if (cliIndex >= 0) await runCliCommand(argv[cliIndex + 1]);

if (!url) {
  logError("no datasource URL (prisma.config.ts sets datasource.url from DATABASE_URL)");
  process.exit(1);
}
const databaseUrl = url;
// Like the native engine, which creates a missing SQLite file (better-sqlite3 needs its directory).
ensureSqliteDirectory(databaseUrl);
serveJsonRpc();

async function runCliCommand(command: string | undefined): Promise<never> {
  // The CLI discards the first stderr line of this mode.
  process.stderr.write(`${JSON.stringify({ level: "INFO", fields: { message: "schema-engine wasm stand-in" } })}\n`);
  try {
    if (!url) throw new Error("no datasource URL");
    if (providerOf(url) === "sqlite") {
      const file = path.resolve(sqliteFilePath(url));
      if (command === "can-connect-to-database" && !existsSync(file)) {
        logError(`Database ${file} does not exist`, "P1003");
        process.exit(1);
      }
      if (command === "create-database") {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, "", { flag: "a" });
      }
    } else if (command === "can-connect-to-database" || command === "create-database") {
      const target = new URL(url);
      const name = decodeURIComponent(target.pathname.slice(1));
      if (command === "create-database") target.pathname = "/postgres";
      const client = new pg.Client({ connectionString: target.toString() });
      await client.connect();
      try {
        if (command === "create-database") await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    }
    process.exit(0);
  } catch (error) {
    logError(String((error as Error).message), (error as { code?: string }).code === "3D000" ? "P1003" : "P1001");
    process.exit(1);
  }
}

function serveJsonRpc(): void {
  const schema =
    datamodelPaths.length > 0 ? { files: datamodelPaths.map((file) => ({ path: file, content: readFileSync(file, "utf8") })) } : undefined;
  let handle: Promise<EngineHandle> | undefined;
  const engine = async () => (await (handle ??= openEngine(migrationAdapterFor(databaseUrl), schema))).engine;

  const send = (message: object) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  // The engine asks the CLI to print (diff output) and waits for its acknowledgement.
  let nextRequestId = 1_000_000;
  const acknowledgements = new Map<number, () => void>();
  const print = (content: string) =>
    new Promise<void>((resolve) => {
      const id = nextRequestId++;
      acknowledgements.set(id, resolve);
      send({ id, method: "print", params: { content } });
    });

  // schema-engine-wasm 7.10 on better-sqlite3: devDiagnostic and friends fail with P1014 on a file
  // without `_prisma_migrations` instead of reporting "not initialized": create it first (the
  // engine's own DDL, so harmless).
  let migrationsTableReady = false;
  const ensureSqliteMigrationsTable = () => {
    if (migrationsTableReady || providerOf(databaseUrl) !== "sqlite") return;
    const db = new Database(sqliteFilePath(databaseUrl));
    db.exec(MIGRATIONS_TABLE_DDL.sqlite);
    db.close();
    migrationsTableReady = true;
  };

  type Method = (params: unknown) => Promise<unknown>;
  async function dispatch(method: string, params: unknown): Promise<unknown> {
    if (["devDiagnostic", "diagnoseMigrationHistory", "evaluateDataLoss", "createMigration"].includes(method))
      ensureSqliteMigrationsTable();
    const e = await engine();
    const call = (name: string, args: unknown) => (e as unknown as Record<string, Method>)[name]!.call(e, args);
    switch (method) {
      case "getDatabaseVersion":
        return e.version((params ?? null) as Parameters<typeof e.version>[0]);
      case "diff": {
        const { stdout, exitCode } = await e.diff(params as Parameters<typeof e.diff>[0]);
        if (stdout) await print(stdout.replace(/\n$/, ""));
        return { exitCode };
      }
      case "createDatabase":
        return { databaseName: path.basename(databaseUrl) };
      case "evaluateDataLoss":
      case "createMigration": {
        // In the WASM engine these read a cache that devDiagnostic fills (they cannot open a shadow
        // database themselves), and the CLI may call them on a fresh process: warm it first.
        const { migrationsList, filters } = params as Parameters<typeof e.devDiagnostic>[0];
        await e.devDiagnostic({ migrationsList, filters });
        return call(method, params);
      }
      case "introspect":
      case "applyMigrations":
      case "dbExecute":
      case "devDiagnostic":
      case "diagnoseMigrationHistory":
      case "ensureConnectionValidity":
      case "markMigrationApplied":
      case "markMigrationRolledBack":
      case "reset":
      case "schemaPush":
      case "introspectSql":
        return (await call(method, params)) ?? {};
      default:
        throw new Error(`method ${method} is not supported by the wasm stand-in`);
    }
  }

  // One call at a time, like the native engine's RPC loop.
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    const message = JSON.parse(line) as { id: number; method?: string; params?: unknown };
    const acknowledge = acknowledgements.get(message.id);
    if (message.method === undefined && acknowledge) {
      acknowledgements.delete(message.id);
      acknowledge();
      return;
    }
    queue = queue.then(async () => {
      try {
        send({ id: message.id, result: await dispatch(message.method ?? "", message.params) });
      } catch (error) {
        const failure = error as Error & { code?: string; meta?: unknown };
        const isPanic = /RuntimeError|unreachable/.test(`${failure?.name} ${failure?.message}`);
        send({
          id: message.id,
          error: {
            code: 4466,
            message: "An error happened. Check the data field for details.",
            data: { is_panic: isPanic, message: failure?.message ?? String(error), meta: failure?.meta ?? null, error_code: failure?.code },
          },
        });
      }
    });
  });
  // stdin closed: the CLI is done with the engine. A failure to close is reported, not left unhandled.
  lines.on("close", () => {
    void (async () => {
      await queue;
      if (handle) await (await handle).close();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`schema engine stand-in: could not close: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}
