// vitest globalSetup: makes a PostgreSQL server available to the test files as inject("postgresUrl").
// TEST_DATABASE_URL when set; else a throw-away cluster from the local server binaries; else null,
// and the PostgreSQL suites are skipped, except in CI, where that is an error.
import type { TestProject } from "vitest/node";
import { providerOf } from "../../src/db/database-url.js";
import { findPostgresBinaries, startPostgresCluster, type PostgresCluster } from "../../scripts/lib/postgres-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of a PostgreSQL server the tests may create databases on, or null when none is available. */
    postgresUrl: string | null;
  }
}

let cluster: PostgresCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  const configured = process.env.TEST_DATABASE_URL?.trim();
  if (configured) {
    if (providerOf(configured) !== "postgresql") throw new Error(`TEST_DATABASE_URL must be a postgresql:// URL, got ${configured}`);
    project.provide("postgresUrl", configured);
    return;
  }
  const binaries = findPostgresBinaries();
  if (binaries) {
    const started = performance.now();
    cluster = await startPostgresCluster(binaries);
    if (process.env.OG_TEST_VERBOSE) console.log(`PostgreSQL test cluster ready in ${Math.round(performance.now() - started)} ms`);
    project.provide("postgresUrl", cluster.url);
    return;
  }
  if (process.env.CI) {
    throw new Error(
      "CI must run the PostgreSQL tests, but no server is available: install the server binaries " +
        "(apt-get install postgresql) or set TEST_DATABASE_URL=postgresql://user:password@host:5432/postgres.",
    );
  }
  console.warn(
    "\n!!! PostgreSQL not found: the PostgreSQL test suites will be SKIPPED. Enable them with " +
      "`apt-get install postgresql` (a throw-away cluster is started automatically) or " +
      "TEST_DATABASE_URL=postgresql://user:password@host:5432/postgres (a role with CREATEDB). !!!\n",
  );
  project.provide("postgresUrl", null);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
  cluster = undefined;
}
