import { Prisma } from "./models.js";

/** A unique constraint refused an insert (two requests racing for the same key). */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
