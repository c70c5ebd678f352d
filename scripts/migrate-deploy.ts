// `npm run db:migrate`: applies the pending migrations to DATABASE_URL (default: the embedded
// SQLite file), the same way ordergram does at start-up.
import { databaseUrlFromEnv, redactDatabaseUrl } from "../src/db/database-url.js";
import { migrateDatabase } from "../src/db/migrate.js";

const url = databaseUrlFromEnv();
const started = performance.now();
try {
  const { applied } = await migrateDatabase(url);
  const took = `${Math.round(performance.now() - started)} ms`;
  if (applied.length === 0) console.log(`${redactDatabaseUrl(url)} is up to date (${took}).`);
  else console.log(`Applied to ${redactDatabaseUrl(url)} in ${took}:\n${applied.map((name) => `  ${name}`).join("\n")}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
