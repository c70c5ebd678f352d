import { AsyncLocalStorage } from "node:async_hooks";
import type { Prisma } from "./models.js";

/** One entry appended to an order's history (src/db/order-event-repository.ts). */
export interface AppendedOrderEvent {
  orderId: string;
  at: Date;
  type: string;
  actor: string;
  data: Prisma.InputJsonValue;
}

/** Hears the order events a database client committed; it must not throw (it runs after the commit). */
export type CommittedOrderEventsListener = (events: AppendedOrderEvent[]) => Promise<void>;

/** Per client, so several apps in one process (tests) each hear only their own database. */
const listeners = new WeakMap<object, CommittedOrderEventsListener>();

/** The transaction withTransaction is running, and the events appended in it so far. */
interface OpenTransaction {
  tx: unknown;
  events: AppendedOrderEvent[];
}
const openTransactions = new AsyncLocalStorage<OpenTransaction>();

/**
 * Calls `listener` with the order events this client commits, once they are committed: an event
 * a transaction appended and then rolled back (a version conflict, a full courier window) is
 * never heard of. The one place that sees every order's history grow: the business event log.
 * One listener per client (a second replaces the first); the function returned removes it.
 */
export function onCommittedOrderEvents(db: object, listener: CommittedOrderEventsListener): () => void {
  listeners.set(db, listener);
  return () => {
    if (listeners.get(db) === listener) listeners.delete(db);
  };
}

/** Runs a transaction's body so that the events it appends wait for its commit (withTransaction's). */
export function collectingOrderEvents<T>(tx: unknown, body: () => Promise<T>): { events: AppendedOrderEvent[]; run: Promise<T> } {
  const open: OpenTransaction = { tx, events: [] };
  return { events: open.events, run: openTransactions.run(open, body) };
}

/** Events were written with `client`: held until the commit inside a transaction, announced now outside one. */
export async function orderEventsWritten(client: unknown, events: AppendedOrderEvent[]): Promise<void> {
  const open = openTransactions.getStore();
  if (open && open.tx === client) {
    open.events.push(...events);
    return;
  }
  await announceCommitted(client as object, events);
}

/** Tells the client's listener about committed events. */
export async function announceCommitted(db: object, events: AppendedOrderEvent[]): Promise<void> {
  if (events.length === 0) return;
  await listeners.get(db)?.(events);
}
