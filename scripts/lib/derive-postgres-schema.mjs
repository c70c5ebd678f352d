// prisma/schema.prisma (SQLite) is the source of truth. A datasource provider must be a literal, so
// the PostgreSQL schema is derived from it: same models, another provider and client output path.
// Plain JavaScript because it runs at `npm install` time, before any TypeScript tooling is needed.

export const POSTGRES_SCHEMA_HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/generate-prisma.mjs: do not edit, edit prisma/schema.prisma.\n";

/**
 * @param {string} sqliteSchema contents of prisma/schema.prisma
 * @returns {string} contents of prisma/postgres/schema.prisma
 */
export function derivePostgresSchema(sqliteSchema) {
  let providerReplaced = 0;
  let outputReplaced = 0;
  const derived = sqliteSchema
    .replace(/(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"sqlite"/, (_match, head) => {
      providerReplaced++;
      return `${head}"postgresql"`;
    })
    // The PG schema sits one directory deeper, and gets its own client.
    .replace(/(generator\s+\w+\s*\{[^}]*?output\s*=\s*)"\.\.\/src\/generated\/sqlite"/, (_match, head) => {
      outputReplaced++;
      return `${head}"../../src/generated/postgres"`;
    });
  // Fail loudly rather than write a schema that silently points at the SQLite client.
  if (providerReplaced !== 1 || outputReplaced !== 1) {
    throw new Error(
      'prisma/schema.prisma: expected one datasource with provider = "sqlite" and one generator with ' +
        'output = "../src/generated/sqlite"; cannot derive prisma/postgres/schema.prisma',
    );
  }
  return POSTGRES_SCHEMA_HEADER + derived;
}
