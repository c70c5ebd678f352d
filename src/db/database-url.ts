import { mkdirSync } from "node:fs";
import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

/** Embedded default: one SQLite file under ./data (relative to the working directory). */
export const DEFAULT_DATABASE_URL = "file:./data/ordergram.db";

export function providerOf(url: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/** DATABASE_URL when set (and not blank), else the embedded SQLite default. */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

/**
 * Path of a SQLite URL's file ("file:./data/x.db" -> "./data/x.db"), as better-sqlite3 and the
 * Prisma adapter read it: relative to the working directory. Query parameters are not supported
 * by the adapter, so they are rejected here instead of becoming part of a file name.
 */
export function sqliteFilePath(url: string): string {
  if (providerOf(url) !== "sqlite") throw new Error(`not a SQLite URL: ${url}`);
  const file = url.replace(/^file:/, "");
  if (file.includes("?")) throw new Error(`SQLite URL parameters are not supported: ${url}`);
  if (file === "") throw new Error(`SQLite URL without a file: ${url}`);
  return file;
}

/** better-sqlite3 does not create directories: make the SQLite file's directory exist. */
export function ensureSqliteDirectory(url: string): void {
  if (providerOf(url) !== "sqlite") return;
  const file = sqliteFilePath(url);
  if (file === ":memory:") return;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
}

/** The URL with its password hidden, for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  if (providerOf(url) !== "postgresql") return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgresql://(unparsable URL)";
  }
}
