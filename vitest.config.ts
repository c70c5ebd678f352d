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
  },
});
