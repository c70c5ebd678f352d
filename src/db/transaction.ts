import type { Prisma } from "../generated/sqlite/client.js";
import { announceCommitted, collectingOrderEvents, type AppendedOrderEvent } from "./committed-order-events.js";
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
 * The order events fn appended are announced once it committed (src/db/committed-order-events.ts).
 */
export async function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  let appended: AppendedOrderEvent[] = [];
  let result: T;
  try {
    result = await db.$transaction(
      (tx) => {
        const { events, run } = collectingOrderEvents(tx, () => fn(tx));
        appended = events;
        return run;
      },
      { maxWait: options.maxWait ?? 5_000, timeout: options.timeout ?? 15_000 },
    );
  } catch (error) {
    if (error instanceof RolledBack) return error.outcome as T;
    throw error;
  }
  await announceCommitted(db, appended);
  return result;
}

/** Thrown by {@link rollBackWith}: the transaction is undone and withTransaction returns `outcome`. */
class RolledBack extends Error {
  constructor(readonly outcome: unknown) {
    super("rolled back on purpose");
  }
}

/**
 * Ends the transaction without keeping anything it wrote, as an expected outcome rather than an
 * error: `return rollBackWith({ type: "rejected" })` from inside withTransaction's callback.
 * For a decision that turns out void half-way (a place in a window was taken, then the dialog
 * turned out to have changed under us): returning normally would commit the half.
 */
export function rollBackWith<T>(outcome: T): never {
  throw new RolledBack(outcome);
}
