import { newSortableId } from "../shared/ids.js";
import { orderEventsWritten, type AppendedOrderEvent } from "./committed-order-events.js";
import type { Prisma } from "./models.js";
import type { DbOrTx } from "./transaction.js";

export interface OrderHistoryEntry {
  at: Date;
  type: string;
  /** "shop", "customer", "bot", "manager:<id>", "system". */
  actor: string;
  data: Prisma.JsonValue;
}

export async function appendOrderEvents(
  tx: DbOrTx,
  orderId: string,
  at: Date,
  actor: string,
  events: Array<{ type: string; data?: Prisma.InputJsonValue }>,
): Promise<void> {
  if (!events.length) return;
  const appended: AppendedOrderEvent[] = events.map((event) => ({ orderId, at, type: event.type, actor, data: event.data ?? {} }));
  // Sortable ids keep the order of events that share a time (one decision, a frozen test clock).
  await tx.orderEvent.createMany({ data: appended.map((event) => ({ id: newSortableId(), ...event })) });
  // The business event log hears of them once they are committed.
  await orderEventsWritten(tx, appended);
}

export async function listOrderEvents(tx: DbOrTx, orderId: string): Promise<OrderHistoryEntry[]> {
  const rows = await tx.orderEvent.findMany({ where: { orderId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  return rows.map((row) => ({ at: row.at, type: row.type, actor: row.actor, data: row.data }));
}
