import type { DeliveryFailureReason } from "../domain/delivery-remedies.js";
import { isDeliveryStatus, type DeliveryStatus } from "../domain/delivery-status-flow.js";
import { chatOwnerOf } from "./handoff-repository.js";
import type { Prisma } from "./models.js";
import type { DbOrTx } from "./transaction.js";

/** What the shop told us about the shipment, kept in Order.tracking. */
export interface Tracking {
  number: string | null;
  carrier: string | null;
  url: string | null;
  /** Expected delivery date (YYYY-MM-DD, shop's time zone), the latest the shop gave. */
  expectedDate: string | null;
  /** For ready_for_pickup: where and until when. */
  pickup: { point: string | null; address: string | null; hours: string | null; storageUntil: string | null } | null;
  /** How many status changes the order has had: numbers each status message. */
  statusSeq: number;
  /** With delivery_failed: why, as the shop said (src/domain/delivery-remedies.ts). */
  failureReason?: DeliveryFailureReason | null;
}

export const emptyTracking = (): Tracking => ({ number: null, carrier: null, url: null, expectedDate: null, pickup: null, statusSeq: 0 });

export const trackingFrom = (json: Prisma.JsonValue | null): Tracking => ({ ...emptyTracking(), ...((json ?? {}) as Partial<Tracking>) });

/** Everything a follow-up (a job, or a message about to be sent) checks before it acts. */
export interface FollowUpState {
  orderId: string;
  state: string;
  chatId: bigint | null;
  owner: string;
  unreachable: boolean;
  /** Parsed where it is read: a stored value that is not a known status reads as none. */
  deliveryStatus: DeliveryStatus | null;
  deliveryStatusAt: Date | null;
  deliveredAt: Date | null;
  tracking: Tracking;
  createdAt: Date;
  /** "courier", "pickup", "post", or null while it is not chosen. */
  deliveryMethod: string | null;
}

export async function findFollowUpState(tx: DbOrTx, orderId: string): Promise<FollowUpState | null> {
  const row = await tx.order.findUnique({
    where: { id: orderId },
    select: {
      id: true,
      state: true,
      chatId: true,
      deliveryStatus: true,
      deliveryStatusAt: true,
      deliveredAt: true,
      tracking: true,
      createdAt: true,
      delivery: true,
      customer: { select: { unreachableAt: true } },
    },
  });
  if (!row) return null;
  return {
    orderId: row.id,
    state: row.state,
    chatId: row.chatId,
    owner: await chatOwnerOf(tx, row.chatId),
    unreachable: row.customer.unreachableAt !== null,
    deliveryStatus: isDeliveryStatus(row.deliveryStatus) ? row.deliveryStatus : null,
    deliveryStatusAt: row.deliveryStatusAt,
    deliveredAt: row.deliveredAt,
    tracking: trackingFrom(row.tracking),
    createdAt: row.createdAt,
    deliveryMethod: methodOf(row.delivery),
  };
}

const methodOf = (delivery: unknown): string | null => {
  const method = delivery !== null && typeof delivery === "object" ? (delivery as { method?: unknown }).method : null;
  return typeof method === "string" ? method : null;
};

/** Every status the shop has reported for the order, from its history (one entry per change). */
export async function reportedDeliveryStatuses(tx: DbOrTx, orderId: string): Promise<DeliveryStatus[]> {
  const events = await tx.orderEvent.findMany({ where: { orderId, type: "delivery.status" }, select: { data: true } });
  return events.map((event) => (event.data as { status?: unknown } | null)?.status).filter(isDeliveryStatus);
}

/** When the customer last answered about the order (a tap, a form; opening the chat is not an answer), if ever. */
export async function lastCustomerActivity(tx: DbOrTx, orderId: string): Promise<Date | null> {
  const event = await tx.orderEvent.findFirst({
    where: { orderId, actor: "customer", type: { not: "customer.linked" } },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  return event?.at ?? null;
}

/** When the bot first showed the customer the order (the read-back), if it has. */
export async function firstReadBackAt(tx: DbOrTx, orderId: string): Promise<Date | null> {
  const event = await tx.orderEvent.findFirst({ where: { orderId, type: "message.sent" }, orderBy: { at: "asc" }, select: { at: true } });
  return event?.at ?? null;
}

/**
 * Orders whose follow-ups were never planned (the jobs named `<kind>:<order id>` do not exist):
 * confirmed orders, and unconfirmed ones whose read-back the customer has seen. The reconciler
 * (the follow_ups.sweep job) plans them; a direct hook at the moment of the change makes it a no-op.
 */
export async function findOrdersWithoutPlan(tx: DbOrTx, limit: number): Promise<{ confirmed: string[]; awaiting: string[] }> {
  const confirmed = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT o."id" FROM "Order" o
    WHERE o."state" = 'confirmed'
      AND NOT EXISTS (SELECT 1 FROM "Job" j WHERE j."dedupeKey" = 'order.confirmed:' || o."id")
    ORDER BY o."updatedAt" LIMIT ${limit}`;
  const awaiting = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT o."id" FROM "Order" o
    WHERE o."state" = 'awaiting_customer' AND o."chatId" IS NOT NULL
      AND EXISTS (SELECT 1 FROM "OrderEvent" e WHERE e."orderId" = o."id" AND e."type" = 'message.sent')
      AND NOT EXISTS (SELECT 1 FROM "Job" j WHERE j."dedupeKey" = 'order.awaiting:' || o."id")
    ORDER BY o."createdAt" LIMIT ${limit}`;
  return { confirmed: confirmed.map((r) => r.id), awaiting: awaiting.map((r) => r.id) };
}
