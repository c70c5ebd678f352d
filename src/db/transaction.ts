import type { Prisma } from "../generated/sqlite/client.js";
import type { Db } from "./create-prisma-client.js";

/** The client inside a transaction: what repository functions should accept to compose in one. */
export type Tx = Prisma.TransactionClient;

/** Either the client or a transaction's client. */
export type DbOrTx = Db | Tx;

export interface TransactionOptions {
  /** How long to wait for the transaction to start (SQLite: for the one in progress to end). Default 5 s. */
  maxWait?: number;
  /** How long the transaction may run before it is rolled back. Default 15 s. */
  timeout?: number;
}

/**
 * Runs fn in an interactive transaction: committed when fn resolves, rolled back when it throws.
 * Prisma's defaults (2 s to start, 5 s to run) are short for SQLite, where transactions queue
 * behind each other on the one connection, so the defaults here are longer. Inside fn use `tx`
 * only: on SQLite the outer client waits until the transaction ends (see create-prisma-client.ts).
 */
export function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return db.$transaction(fn, { maxWait: options.maxWait ?? 5_000, timeout: options.timeout ?? 15_000 });
}
