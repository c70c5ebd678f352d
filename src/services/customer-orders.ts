import { trackingFrom } from "../db/follow-up-repository.js";
import { findRecentOrdersInChat } from "../db/order-repository.js";
import type { OrderState } from "../domain/order.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/** How far back /orders looks for orders that are finished (open ones are always listed). */
export const recentOrderDays = 30;
/** At most this many orders in the list (it must fit one Telegram message). */
export const maxListedOrders = 10;

/** One order as the customer's list shows it: plain data, words are the flow's. */
export interface CustomerOrderItem {
  orderNumber: string;
  state: OrderState;
  /** Where the parcel is, as the shop last said (shipped, in_transit, ...); null: no news yet. */
  deliveryStatus: string | null;
  /** The date delivery is currently promised or expected (YYYY-MM-DD); null: not known or already over. */
  expectedDate: string | null;
  tracking: { number: string; carrier: string | null } | null;
  placedAt: Date;
}

const finishedStatuses = ["delivered", "returned_to_sender"];

/**
 * The orders linked to this customer's private chat that they may ask about ("where is my
 * order?"): open ones, and any from the last 30 days; newest first, at most 10.
 */
export async function customerOrders(deps: ServiceDependencies, chatId: bigint): Promise<CustomerOrderItem[]> {
  const since = new Date(deps.clock.now().getTime() - recentOrderDays * 24 * 60 * 60 * 1000);
  const rows = await findRecentOrdersInChat(deps.db, chatId, since, maxListedOrders);
  return rows.map((row) => {
    const tracking = trackingFrom(row.tracking as Parameters<typeof trackingFrom>[0]);
    const underway = row.state === "confirmed" && !finishedStatuses.includes(row.deliveryStatus ?? "");
    return {
      orderNumber: row.externalId,
      state: row.state,
      deliveryStatus: row.deliveryStatus,
      // The shop's latest estimate (what the last status message said); else the open promise
      // (a broken one's new estimate), else the date agreed in the dialog.
      expectedDate: underway ? (tracking.expectedDate ?? row.promisedDate ?? row.deliveryDate) : null,
      tracking: tracking.number && row.state !== "cancelled" ? { number: tracking.number, carrier: tracking.carrier } : null,
      placedAt: row.createdAt,
    };
  });
}
