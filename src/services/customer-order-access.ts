import { findOpenOrderAtStep, findOpenOrdersInChat, findOrder, type OrderRecord } from "../db/order-repository.js";
import type { DbOrTx } from "../db/transaction.js";
import type { ServiceDependencies } from "./service-dependencies.js";

export type CustomerOrderAccess = { type: "ok"; record: OrderRecord } | { type: "not_found" } | { type: "not_yours" };

/**
 * Reads an order for the customer in this chat; another customer's order is refused and logged.
 * `tx`: inside the caller's transaction, when what follows decides on the order as read.
 */
export async function loadCustomerOrder(
  deps: Pick<ServiceDependencies, "db" | "logger">,
  orderId: string,
  telegramUserId: bigint,
  tx: DbOrTx = deps.db,
): Promise<CustomerOrderAccess> {
  const record = await findOrder(tx, orderId);
  if (!record) return { type: "not_found" };
  if (record.chatId !== telegramUserId) {
    deps.logger.warn({ orderId, telegramUserId: telegramUserId.toString() }, "refused access to another customer's order");
    return { type: "not_yours" };
  }
  return { type: "ok", record };
}

/** The order in this customer's chat that waits for them to type something: its address or a comment. */
export const orderAwaitingText = (deps: ServiceDependencies, telegramUserId: bigint): Promise<OrderRecord | null> =>
  findOpenOrderAtStep(deps.db, telegramUserId, ["confirm_address", "ask_comment"]);

/** Whether an order dialog is under way in this chat (a host bot leaves such chats to ordergram). */
export const hasOpenOrderInChat = async (deps: ServiceDependencies, chatId: bigint): Promise<boolean> =>
  (await findOpenOrdersInChat(deps.db, chatId)).length > 0;
