// One codebase, two generated clients (the datasource provider is a literal in a Prisma schema).
// The application is typed against the SQLite client; the PostgreSQL client is cast to that type
// at this single place and loaded only when DATABASE_URL is postgres.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, Transaction } from "@prisma/driver-adapter-utils";
import type { PrismaClient as SqlitePrismaClient } from "../generated/sqlite/client.js";
import type { Database } from "better-sqlite3";
import { ensureSqliteDirectory, providerOf, sqliteFilePath } from "./database-url.js";
import { cacheStatements } from "./sqlite-statement-cache.js";

/** The database client the application uses, whichever database is behind it. */
export type Db = SqlitePrismaClient;

/**
 * Per-connection settings. WAL lets readers run beside the writer and, with synchronous=NORMAL,
 * makes autocommit writes ~8x faster (durable at each checkpoint rather than each commit; a
 * power cut can lose the last transactions, never corrupt the file). busy_timeout makes a writer
 * wait for the lock held by another process (the migrator, a second instance) instead of failing.
 */
export const SQLITE_CONNECTION_PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA busy_timeout = 5000",
  "PRAGMA foreign_keys = ON",
] as const;

/**
 * The adapter opens its better-sqlite3 connection inside connect() and offers no hook for it, so
 * the pragmas are applied to the connection it returns: the one the client then uses for every query.
 */
class ConfiguredSqliteAdapterFactory extends PrismaBetterSqlite3 {
  override async connect(): Promise<SqlDriverAdapter> {
    const adapter = await super.connect();
    // The adapter keeps its better-sqlite3 connection as `client` (adapter-better-sqlite3 7.10).
    const client = (adapter as unknown as { client?: Database }).client;
    if (!client || typeof client.prepare !== "function")
      throw new Error("@prisma/adapter-better-sqlite3 no longer exposes its connection as `client`: see sqlite-statement-cache.ts");
    cacheStatements(client);
    await adapter.executeScript(SQLITE_CONNECTION_PRAGMAS.join(";\n"));
    return isolateTransactions(adapter);
  }
}

/**
 * adapter-better-sqlite3 7.10 runs everything on one connection and only serializes transactions
 * among themselves: a query from outside an open interactive transaction executes inside it, reads
 * its uncommitted rows, and is silently undone if it rolls back (verified: a create reported as
 * successful was lost). So every query outside a transaction waits until no transaction is open.
 * better-sqlite3 is synchronous, so this costs no parallelism. The price: code that uses the outer
 * client inside its own `$transaction` callback waits for the transaction's timeout and fails,
 * instead of silently joining it (on PostgreSQL it would run outside it: a bug either way).
 */
function isolateTransactions(adapter: SqlDriverAdapter): SqlDriverAdapter {
  let tail: Promise<void> = Promise.resolve();
  const acquire = async (): Promise<() => void> => {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  };
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  };
  const releasing = (transaction: Transaction, release: () => void): Transaction => {
    const end = (fn: () => Promise<void>) => async () => {
      try {
        await fn();
      } finally {
        release();
      }
    };
    return new Proxy(transaction, {
      get(target, property) {
        if (property === "commit") return end(() => target.commit());
        if (property === "rollback") return end(() => target.rollback());
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  const overrides: Partial<SqlDriverAdapter> = {
    queryRaw: (query) => exclusive(() => adapter.queryRaw(query)),
    executeRaw: (query) => exclusive(() => adapter.executeRaw(query)),
    executeScript: (script) => exclusive(() => adapter.executeScript(script)),
    async startTransaction(isolationLevel) {
      const release = await acquire();
      try {
        return releasing(await adapter.startTransaction(isolationLevel), release);
      } catch (error) {
        release();
        throw error;
      }
    },
  };
  return new Proxy(adapter, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof SqlDriverAdapter];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export async function createPrismaClient(url: string): Promise<Db> {
  if (providerOf(url) === "postgresql") {
    const { PrismaClient } = await import("../generated/postgres/client.js");
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    // The models and queries are identical, but the clients are not structurally assignable:
    // $transaction accepts more isolation levels on PostgreSQL. A superset at run time, so safe.
    return client as unknown as Db;
  }
  ensureSqliteDirectory(url);
  const { PrismaClient } = await import("../generated/sqlite/client.js");
  return new PrismaClient({ adapter: new ConfiguredSqliteAdapterFactory({ url: `file:${sqliteFilePath(url)}` }) });
}
