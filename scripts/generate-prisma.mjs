// `npm run db:generate`, and npm's postinstall: derives prisma/postgres/schema.prisma from
// prisma/schema.prisma, then generates both Prisma clients (src/generated/{sqlite,postgres}).
// Runs right after `npm install` on a fresh clone, so: plain Node, no TypeScript, no network.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { derivePostgresSchema } from "./lib/derive-postgres-schema.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sqliteSchema = path.join(root, "prisma/schema.prisma");
const postgresSchema = path.join(root, "prisma/postgres/schema.prisma");

const derived = derivePostgresSchema(readFileSync(sqliteSchema, "utf8"));
let previous = null;
try {
  previous = readFileSync(postgresSchema, "utf8");
} catch {
  // first run: the file does not exist yet
}
if (previous !== derived) {
  mkdirSync(path.dirname(postgresSchema), { recursive: true });
  writeFileSync(postgresSchema, derived);
  console.log("generate-prisma: wrote prisma/postgres/schema.prisma");
}

const env = {
  ...process.env,
  // The CLI would download the native schema engine, which this network cannot reach; `generate`
  // only checks that the file exists. The stand-in forwards to the WASM engine (docs/database.md).
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? path.join(root, "scripts/schema-engine"),
  // No update check or telemetry request: it would only time out offline.
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const require = createRequire(import.meta.url);
const prismaPackage = require.resolve("prisma/package.json");
// A JSON manifest, untyped in .mjs:
// eslint-disable-next-line @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument
const prismaBin = path.join(path.dirname(prismaPackage), JSON.parse(readFileSync(prismaPackage, "utf8")).bin.prisma);

for (const schema of [sqliteSchema, postgresSchema]) {
  const result = spawnSync(process.execPath, [prismaBin, "generate", "--schema", path.relative(root, schema)], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  if (result.status !== 0) {
    console.error(`generate-prisma: prisma generate failed for ${path.relative(root, schema)}`);
    process.exit(result.status ?? 1);
  }
}
