import { loadCustomerOrder } from "../customer-order-access.js";
import { findActiveHandoff } from "../../db/handoff-repository.js";
import { findOrder, type OrderRecord } from "../../db/order-repository.js";
import { findReturnRequestsForOrder, type ReturnRequestRecord } from "../../db/return-request-repository.js";
import type { DbOrTx } from "../../db/transaction.js";
import {
  isReturnWindowOpen,
  latestOpenRequest,
  returnEligibility,
  type ReturnableLine,
  type ReturnStatus,
} from "../../domain/return-request.js";
import type { ServiceDependencies } from "../service-dependencies.js";

/** A request as the customer is reminded of it (plain JSON: it crosses the form's replay log). */
export interface ReturnSummary {
  id: string;
  status: ReturnStatus;
  createdAt: string;
  items: Array<{ name: string; quantity: number }>;
}

export const returnSummary = (request: ReturnRequestRecord): ReturnSummary => ({
  id: request.id,
  status: request.status,
  createdAt: request.createdAt.toISOString(),
  items: request.items.map((item) => ({ name: item.name, quantity: item.quantity })),
});

/** What the customer can return from an order now, or why not. Plain JSON. */
export type ReturnStart =
  | { type: "eligible"; orderId: string; orderNumber: string; lines: ReturnableLine[]; closesAt: string }
  | { type: "window_closed"; orderId: string; orderNumber: string; closedAt: string }
  | { type: "not_delivered"; orderNumber: string }
  | { type: "nothing_returnable"; orderId: string; orderNumber: string }
  | { type: "already_requested"; orderNumber: string; open: ReturnSummary | null }
  | { type: "disabled" }
  /** A person has the customer's chat (waiting for one, or taken): the bot runs no form meanwhile. */
  | { type: "with_person" }
  | { type: "not_found" }
  | { type: "not_yours" };

/** The order's facts the return rules read (deliveredAt is not part of the dialog's record). */
export async function returnFacts(tx: DbOrTx, record: OrderRecord) {
  const [row, earlier] = await Promise.all([
    tx.order.findUnique({ where: { id: record.order.id }, select: { deliveredAt: true } }),
    findReturnRequestsForOrder(tx, record.order.id),
  ]);
  return {
    deliveredAt: row?.deliveredAt ?? null,
    earlier,
    lines: record.order.items.map((line) => ({
      position: line.position,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      returnable: line.returnable !== false,
    })),
  };
}

/** Decides, for a customer in their chat, whether and what they can return from an order. */
export async function loadReturnStart(
  deps: ServiceDependencies,
  input: { orderId: string; telegramUserId: bigint },
  tx: DbOrTx = deps.db,
): Promise<ReturnStart> {
  const config = deps.config().returns;
  if (!config.enabled) return { type: "disabled" };
  const access = await loadCustomerOrder(deps, input.orderId, input.telegramUserId, tx);
  if (access.type !== "ok") return access;
  const { record } = access;
  if (await findActiveHandoff(tx, input.telegramUserId)) return { type: "with_person" };
  const facts = await returnFacts(tx, record);
  const orderNumber = record.order.externalId;
  const decision = returnEligibility({ ...facts, now: deps.clock.now(), windowDays: config.windowDays });
  switch (decision.type) {
    case "eligible":
      return { type: "eligible", orderId: record.order.id, orderNumber, lines: decision.lines, closesAt: decision.closesAt.toISOString() };
    case "window_closed":
      return { type: "window_closed", orderId: record.order.id, orderNumber, closedAt: decision.closedAt.toISOString() };
    case "not_delivered":
      return { type: decision.type, orderNumber };
    case "nothing_returnable":
      return { type: decision.type, orderId: record.order.id, orderNumber };
    case "already_requested": {
      const open = facts.earlier.find((request) => request.id === decision.requestId);
      return { type: "already_requested", orderNumber, open: open ? returnSummary(open) : null };
    }
  }
}

export interface DeliveredOrderChoice {
  orderId: string;
  orderNumber: string;
  deliveredAt: string;
  windowOpen: boolean;
  /** A request for it is under way. */
  openRequest: boolean;
}

/** The customer's most recently delivered orders, newest first: what /return offers. */
export async function recentDeliveredOrders(deps: ServiceDependencies, telegramUserId: bigint): Promise<DeliveredOrderChoice[]> {
  const config = deps.config().returns;
  const now = deps.clock.now();
  const rows = await deps.db.order.findMany({
    where: { chatId: telegramUserId, deliveredAt: { not: null }, state: { not: "cancelled" } },
    select: { id: true, externalId: true, deliveredAt: true },
    orderBy: [{ deliveredAt: "desc" }, { createdAt: "desc" }],
    take: config.recentOrders,
  });
  return Promise.all(
    rows.map(async (row) => {
      const earlier = await findReturnRequestsForOrder(deps.db, row.id);
      return {
        orderId: row.id,
        orderNumber: row.externalId,
        deliveredAt: row.deliveredAt!.toISOString(),
        windowOpen: isReturnWindowOpen(row.deliveredAt!, now, config.windowDays),
        openRequest: latestOpenRequest(earlier) !== null,
      };
    }),
  );
}

/**
 * Whether the message about a delivered order offers "Return items": returns are on, and the order
 * has items that may go back, within the window, not already in a request.
 */
export async function canOfferReturn(deps: ServiceDependencies, orderId: string): Promise<boolean> {
  const config = deps.config().returns;
  if (!config.enabled) return false;
  const record = await findOrder(deps.db, orderId);
  if (!record) return false;
  const facts = await returnFacts(deps.db, record);
  return returnEligibility({ ...facts, now: deps.clock.now(), windowDays: config.windowDays }).type === "eligible";
}
