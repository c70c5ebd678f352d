import { withTransaction } from "../db/transaction.js";
import { attachTelegramUser, recordSharedPhone, upsertTelegramChat, type ChatDetails } from "../db/customer-repository.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import {
  bindOrderToChat,
  findOpenOrdersInChat,
  findOrder,
  findOrderByExternalId,
  findOrderByStartToken,
  findUnlinkedOpenOrdersByPhone,
  findUnlinkedOpenOrdersOfTelegramUser,
  type OrderRecord,
} from "../db/order-repository.js";
import type { Tx } from "../db/transaction.js";
import { parseSharedPhone } from "../domain/phone.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/** The Telegram user in a private chat (private chat id = user id). */
export interface TelegramCustomer extends ChatDetails {
  firstName: string;
}

export type LinkByTokenResult =
  | { type: "linked"; record: OrderRecord }
  /** This chat had the order already (the link opened twice). */
  | { type: "already_linked"; record: OrderRecord }
  /** Another Telegram user claimed the order: refused, and logged. */
  | { type: "claimed_by_other" }
  | { type: "unknown_token" };

/** Links the order to the user's chat; null when another chat took it at this very moment. */
async function linkOrder(tx: Tx, record: OrderRecord, user: TelegramCustomer, how: string, now: Date): Promise<OrderRecord | null> {
  if ((await bindOrderToChat(tx, record.order.id, user.id)) === "taken") return null;
  const customerId = await attachTelegramUser(tx, record.order.id, record.order.customer.id, user.id);
  await upsertTelegramChat(tx, user, customerId);
  await appendOrderEvents(tx, record.order.id, now, "customer", [{ type: "customer.linked", data: { how } }]);
  return (await findOrder(tx, record.order.id))!;
}

/** The customer opened t.me/<bot>?start=<token>. */
export async function linkByStartToken(deps: ServiceDependencies, token: string, user: TelegramCustomer): Promise<LinkByTokenResult> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const record = await findOrderByStartToken(tx, token);
    if (!record) return { type: "unknown_token" };
    const owner = record.chatId ?? record.telegramUserId;
    if (owner !== null && owner !== user.id) {
      deps.logger.warn({ orderId: record.order.id, telegramUserId: user.id.toString() }, "start link of an order claimed by another user");
      return { type: "claimed_by_other" };
    }
    if (record.chatId === user.id) return { type: "already_linked", record };
    const linked = await linkOrder(tx, record, user, "start_link", now);
    if (!linked) {
      deps.logger.warn(
        { orderId: record.order.id, telegramUserId: user.id.toString() },
        "start link of an order claimed by another user at the same moment",
      );
      return { type: "claimed_by_other" };
    }
    return { type: "linked", record: linked };
  });
}

/**
 * Open orders in the customer's chat, oldest first (what /start without a token shows). Orders
 * the shop sent with this user's Telegram id are theirs too, even if they never opened the bot
 * before: they are linked now.
 */
export async function openOrdersOf(deps: ServiceDependencies, user: TelegramCustomer): Promise<OrderRecord[]> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    await upsertTelegramChat(tx, user, null);
    for (const record of await findUnlinkedOpenOrdersOfTelegramUser(tx, user.id))
      await linkOrder(tx, record, user, "telegram_user_id", now);
    return findOpenOrdersInChat(tx, user.id);
  });
}

export type SharedContactResult =
  | { type: "found"; phone: string; orders: OrderRecord[] }
  | { type: "none_found"; phone: string }
  /** A contact card of someone else (Telegram says whose it is): not proof of this number. */
  | { type: "not_own_contact" }
  | { type: "invalid_phone" };

/** The customer shared a contact after /start: find the open orders placed with that phone. */
export async function receiveSharedContact(
  deps: ServiceDependencies,
  user: TelegramCustomer,
  contact: { phoneNumber: string; userId: bigint | null },
): Promise<SharedContactResult> {
  if (contact.userId !== user.id) return { type: "not_own_contact" };
  const phone = parseSharedPhone(contact.phoneNumber, deps.config().shop.country);
  if (!phone) return { type: "invalid_phone" };
  return withTransaction(deps.db, async (tx) => {
    await recordSharedPhone(tx, user, phone);
    const orders = await findUnlinkedOpenOrdersByPhone(tx, phone, user.id);
    return orders.length ? { type: "found", phone, orders } : { type: "none_found", phone };
  });
}

/**
 * The customer confirmed which of the orders found by phone are theirs (one, or all). Only
 * orders whose phone matches the number this chat shared can be claimed, whatever the button says.
 */
export async function linkOrdersByPhone(
  deps: ServiceDependencies,
  user: TelegramCustomer,
  choice: { orderId: string } | "all",
): Promise<OrderRecord[]> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const chat = await tx.telegramChat.findUnique({ where: { id: user.id } });
    if (!chat?.sharedPhone) return [];
    const candidates = await findUnlinkedOpenOrdersByPhone(tx, chat.sharedPhone, user.id);
    const chosen = choice === "all" ? candidates : candidates.filter((r) => r.order.id === choice.orderId);
    const linked: OrderRecord[] = [];
    for (const record of chosen) {
      const done = await linkOrder(tx, record, user, "shared_phone", now);
      if (done) linked.push(done);
    }
    return linked;
  });
}

export type OrderNumberResult =
  /** No order has this number: the text is something else. */
  | { type: "unknown" }
  /** The order is this chat's already. */
  | { type: "yours"; record: OrderRecord }
  /** The phone this chat shared matches the order's: offer it to claim. */
  | { type: "phone_matches"; record: OrderRecord }
  /** Anything else: the customer must prove the phone first; nothing about the order is shown. */
  | { type: "prove_phone"; orderNumber: string };

/**
 * A customer wrote an order number in the chat. The order is offered only to the chat that owns
 * it or whose shared phone (which Telegram verified as theirs) is the order's: anyone else is
 * asked for that phone, open order or not, and learns nothing of what is in it.
 */
export async function lookUpOrderNumber(
  deps: ServiceDependencies,
  user: TelegramCustomer,
  orderNumber: string,
): Promise<OrderNumberResult> {
  const record = await findOrderByExternalId(deps.db, orderNumber);
  if (!record) return { type: "unknown" };
  if (record.chatId === user.id) return { type: "yours", record };
  const chat = await deps.db.telegramChat.findUnique({ where: { id: user.id }, select: { sharedPhone: true } });
  if (chat?.sharedPhone) {
    const claimable = await findUnlinkedOpenOrdersByPhone(deps.db, chat.sharedPhone, user.id);
    const match = claimable.find((candidate) => candidate.order.id === record.order.id);
    if (match) return { type: "phone_matches", record: match };
  }
  return { type: "prove_phone", orderNumber: record.order.externalId };
}
