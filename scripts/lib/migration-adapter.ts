// Driver adapter factories for the WASM schema engine (development tooling only).
import { randomUUID } from "node:crypto";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { providerOf, sqliteFilePath } from "../../src/db/database-url.js";

/**
 * An adapter factory the schema engine can migrate, diff and introspect through. On SQLite the
 * shadow database is in memory. On PostgreSQL the URL's role needs CREATEDB: shadow databases are
 * created beside the URL's database, and dropped when the engine closes.
 */
export function migrationAdapterFor(url: string): SqlMigrationAwareDriverAdapterFactory {
  if (providerOf(url) === "sqlite") {
    const file = sqliteFilePath(url);
    return new PrismaBetterSqlite3({ url: file === ":memory:" ? ":memory:" : `file:${file}` });
  }
  return postgresMigrationAdapter(url);
}

/**
 * PrismaPg's own connectToShadowDb() is not usable in 7.10: built from a connection string it
 * connects to the main database again (the string's database wins over the `database` override),
 * so migrations are replayed into the real database; and it drops the shadow database while its
 * pool is still connected, which fails and leaks the database. Hence a shadow factory of our own.
 */
function postgresMigrationAdapter(url: string): SqlMigrationAwareDriverAdapterFactory {
  const config = poolConfig(url);
  const main = new PrismaPg(charAsTextPool(config), { disposeExternalPool: true });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    async connectToShadowDb() {
      const name = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, "")}`;
      const admin = new pg.Client(config);
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
        const shadow = await new PrismaPg(charAsTextPool({ ...config, database: name }), { disposeExternalPool: true }).connect();
        const dispose = shadow.dispose.bind(shadow);
        shadow.dispose = async () => {
          try {
            await dispose();
            await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          } finally {
            await admin.end();
          }
        };
        return shadow;
      } catch (error) {
        await admin.end();
        throw error;
      }
    },
  };
}

/** pg.PoolConfig with explicit fields, so that `database` can be overridden (see above). */
function poolConfig(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  const host = parsed.searchParams.get("host") ?? decodeURIComponent(parsed.hostname);
  return {
    host: host === "" ? "localhost" : host,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    max: 4,
  };
}

type FieldsResult = { fields?: Array<{ dataTypeID: number }> };
type QueryCallback = (error: unknown, result: unknown) => void;

/**
 * adapter-pg 7.10 rejects result columns of PostgreSQL's internal "char" type (OID 18), which the
 * engine's catalog queries return (relkind, contype...) whenever it describes a database. pg
 * already returns those values as strings, so report the columns as text (OID 25). Tooling only.
 */
function charAsTextPool(config: pg.PoolConfig): pg.Pool {
  const fix = (result: unknown): unknown => {
    for (const part of Array.isArray(result) ? (result as FieldsResult[]) : [result as FieldsResult]) {
      for (const field of part?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    }
    return result;
  };
  const fixCallback =
    (callback: QueryCallback): QueryCallback =>
    (error, result) =>
      callback(error, error ? result : fix(result));
  const pool = new pg.Pool(config);
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const last = args.at(-1);
      const first = args[0] as { callback?: QueryCallback } | undefined;
      if (typeof last === "function") args[args.length - 1] = fixCallback(last as QueryCallback);
      else if (typeof first?.callback === "function") first.callback = fixCallback(first.callback);
      else {
        const result = query(...args) as Promise<unknown> | undefined;
        return typeof result?.then === "function" ? result.then(fix) : result;
      }
      return query(...args);
    };
  });
  return pool;
}
