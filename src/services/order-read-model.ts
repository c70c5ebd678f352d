import { bookedSlots } from "../db/delivery-slot-repository.js";
import { findOpenOrdersInChat, findOrder, type OrderRecord } from "../db/order-repository.js";
import type { Order } from "../domain/order.js";
import { withCurrentStock } from "./current-stock.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/*
 * What the order's dialog message is rendered from (src/flows/confirmation), and the chat's
 * orders, read through the services so the flows never query the database.
 */

type Reader = Pick<ServiceDependencies, "db">;

/** The order as it stands, or null when it no longer exists. */
export const readOrder = (deps: Reader, orderId: string): Promise<OrderRecord | null> => findOrder(deps.db, orderId);

/** The chat's orders still waiting for the customer, oldest first. */
export const readOpenOrdersInChat = (deps: Reader, chatId: bigint): Promise<OrderRecord[]> => findOpenOrdersInChat(deps.db, chatId);

/** How many places each of these delivery days' windows holds already. */
export const readBookedSlots = (deps: Reader, days: string[]): Promise<Map<string, number>> => bookedSlots(deps.db, days);

/** The order with its lines' stock as it is now (what ran out is not offered). */
export const readWithCurrentStock = (deps: Reader, order: Order): Promise<Order> => withCurrentStock(deps.db, order);
