import { bookDeliverySlot, holdDeliverySlot, releaseDeliverySlot } from "../db/delivery-slot-repository.js";
import type { Tx } from "../db/transaction.js";
import type { CourierRules } from "../domain/delivery-options.js";
import type { DialogEvent } from "../domain/order-dialog.js";
import type { Delivery } from "../domain/order.js";

/**
 * Places in courier windows. An order holds at most one, recorded on its delivery
 * (`slotBooked`); every path that gives an order a window or takes it away goes through here, so
 * the counts the customers are offered stay true: the customer's choice, the shop's own window in
 * the order, a re-sent order, a cancellation by anyone.
 */

/**
 * Takes and frees places as a decision's events say: the new place first (it may be full: then
 * "full", and the caller rolls the whole decision back), then the old one is freed.
 */
export async function applySlotEvents(
  tx: Tx,
  events: readonly DialogEvent[],
  courier: Pick<CourierRules, "windows">,
): Promise<"ok" | "full"> {
  for (const event of events) {
    if (event.type !== "slot_chosen") continue;
    const capacity = courier.windows.find((w) => w.window === event.window)?.capacity ?? 0;
    if (!(await bookDeliverySlot(tx, { ...event, capacity }))) return "full";
  }
  for (const event of events) if (event.type === "slot_released") await releaseDeliverySlot(tx, event);
  return "ok";
}

/**
 * A courier window the shop put into the order itself (its checkout offered it): the order holds
 * that place, full or not (the shop's word stands), so the window fills up for the customers who
 * choose in the chat. Windows the shop's config does not know are not counted.
 */
export async function holdShopChosenSlot(
  tx: Tx,
  delivery: Delivery | null,
  courier: Pick<CourierRules, "windows">,
): Promise<Delivery | null> {
  if (!delivery || delivery.method !== "courier" || !delivery.date || !delivery.window) return delivery;
  if (!courier.windows.some((w) => w.window === delivery.window)) return delivery;
  await holdDeliverySlot(tx, { date: delivery.date, window: delivery.window });
  return { ...delivery, slotBooked: true };
}

/** Frees the place an order holds, if it holds one; the delivery as it is without it. */
export async function releaseHeldSlot(tx: Tx, delivery: Delivery | null): Promise<Delivery | null> {
  if (!delivery?.slotBooked || !delivery.date || !delivery.window) return delivery;
  await releaseDeliverySlot(tx, { date: delivery.date, window: delivery.window });
  return { ...delivery, slotBooked: false };
}
