import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Starts a throw-away PostgreSQL cluster when the binaries exist (or uses TEST_DATABASE_URL).
    globalSetup: ["test/support/postgres-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files share one machine with two cores; each file gets its own SQLite file and PG database.
    pool: "forks",
    // On two cores vitest runs one file at a time (maxWorkers is cores - 1), and with isolation each
    // file starts a fresh process that imports the whole app again. Reusing the process saves that
    // (test/flows: 102 s -> 74 s of wall time). Nothing in the tests relies on a fresh module state:
    // each file builds its own apps, databases and stand-ins and closes them. Two workers did not
    // help (98 s): the suite is busy on both cores, not waiting.
    isolate: false,
  },
});
