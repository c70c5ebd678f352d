import { Prisma } from "./models.js";

/**
 * The database could not take the work in time: a transaction found no connection (PostgreSQL's
 * pool, or SQLite's one writer) within its wait (Prisma P2028). Not a bug: the request can be
 * tried again in a moment, and nothing of it was applied.
 */
export const isDatabaseBusy = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2028";
