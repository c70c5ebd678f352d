import { Prisma } from "./models.js";

/**
 * The database could not take the work in time: a transaction found no connection (PostgreSQL's
 * pool, or SQLite's one writer) within its wait (Prisma P2028). Not a bug: the request can be
 * tried again in a moment, and nothing of it was applied.
 */
export const isDatabaseBusy = (error: unknown): boolean => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2028";

/**
 * A statement lost to another writer: PostgreSQL aborted it for a serialization failure or a
 * deadlock (P2034: two claims locking the same rows in different orders), or SQLite's write lock
 * stayed taken past busy_timeout (SQLITE_BUSY, which the adapter reports as a timeout, P1008).
 * Nothing of the statement was applied; trying it again later is safe.
 */
export const isWriteConflict = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && (error.code === "P2034" || error.code === "P1008");
