/**
 * Works around Prisma issue #26571 (open in 7.10): for SQLite the schema engine renders a Json
 * field's default unquoted (`"data" JSONB NOT NULL DEFAULT {}`), which SQLite rejects. Quote it as
 * a string literal, the value Prisma stores; the engine then reads it back as the schema's default,
 * so later diffs stay clean.
 */
export function quoteSqliteJsonDefaults(sql: string): string {
  return sql.replace(
    /(\bJSONB\b(?:\s+NOT\s+NULL)?\s+DEFAULT\s+)(?!'|\(|NULL\b)(.+?)(,?|;?)$/gim,
    (_match, head: string, value: string, tail: string) => `${head}'${value.replace(/'/g, "''")}'${tail}`,
  );
}
