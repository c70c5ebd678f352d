import path from "node:path";
import { defineConfig } from "prisma/config";

// Offline machines cannot download Prisma's native schema engine. `prisma generate` only checks
// that an engine file exists, and migrations are created by scripts/migrate-new.ts through the
// WASM engine, so pointing the CLI at our own stand-in is enough (see docs/database.md).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/schema-engine");

const url = process.env.DATABASE_URL ?? "file:./data/ordergram.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgres/migrations" : "prisma/migrations" },
  datasource: { url },
});
