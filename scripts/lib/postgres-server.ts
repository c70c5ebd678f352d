import { providerOf } from "../../src/db/database-url.js";
import { findPostgresBinaries, startPostgresCluster } from "./postgres-cluster.js";

/**
 * Runs fn with the URL of a PostgreSQL server the tooling may create databases on:
 * TEST_DATABASE_URL or DATABASE_URL when it is postgres, else a throw-away local cluster.
 */
export async function withPostgresServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const configured = [process.env.TEST_DATABASE_URL, process.env.DATABASE_URL].find(
    (url): url is string => !!url && providerOf(url) === "postgresql",
  );
  if (configured) return fn(configured);
  const binaries = findPostgresBinaries();
  if (!binaries) {
    throw new Error(
      "A PostgreSQL server is needed for the PostgreSQL shadow database. Install the server binaries " +
        "(`apt-get install postgresql`; a throw-away cluster is then started automatically), or set " +
        "TEST_DATABASE_URL=postgresql://user:password@host:5432/postgres (a role with CREATEDB).",
    );
  }
  const cluster = await startPostgresCluster(binaries);
  try {
    return await fn(cluster.url);
  } finally {
    await cluster.stop();
  }
}
