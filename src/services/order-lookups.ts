import { bookedSlots } from "../db/delivery-slot-repository.js";
import { findOpenOrdersInChat, findOrder, type OrderRecord } from "../db/order-repository.js";
import type { ServiceDependencies } from "./service-dependencies.js";

// Reads the bot layer needs to show an order, so that flows go through services, never the database.

/** The order with its dialog, or null when there is none with this id. */
export function orderById(deps: ServiceDependencies, orderId: string): Promise<OrderRecord | null> {
  return findOrder(deps.db, orderId);
}

/** The orders of a private chat that are still in their dialog (not finished or cancelled). */
export function openOrdersInChat(deps: ServiceDependencies, chatId: bigint): Promise<OrderRecord[]> {
  return findOpenOrdersInChat(deps.db, chatId);
}

/** How many orders hold each delivery window of these days, keyed "date|window". */
export function bookedDeliverySlots(deps: ServiceDependencies, dates: string[]): Promise<Map<string, number>> {
  return bookedSlots(deps.db, dates);
}
