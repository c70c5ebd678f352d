export declare const POSTGRES_SCHEMA_HEADER: string;
/** Derives prisma/postgres/schema.prisma from the contents of prisma/schema.prisma. */
export declare function derivePostgresSchema(sqliteSchema: string): string;
