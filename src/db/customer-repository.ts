import { newId } from "../shared/ids.js";
import type { DbOrTx } from "./transaction.js";

export interface CustomerDetails {
  name: string;
  phone: string | null;
  telegramUserId: bigint | null;
  language: string | null;
}

/**
 * The customer an incoming order belongs to: the one with its Telegram user id, else the one
 * with its phone (preferring one the bot already talks to), else a new one. The shop's latest
 * name, phone and language win.
 */
export async function upsertCustomerForOrder(tx: DbOrTx, details: CustomerDetails): Promise<{ id: string; telegramUserId: bigint | null }> {
  const existing =
    (details.telegramUserId !== null ? await tx.customer.findUnique({ where: { telegramUserId: details.telegramUserId } }) : null) ??
    (details.phone !== null
      ? await tx.customer.findFirst({
          where: { phone: details.phone },
          orderBy: [{ telegramUserId: { sort: "desc", nulls: "last" } }, { createdAt: "asc" }],
        })
      : null);
  const data = {
    name: details.name,
    ...(details.phone !== null ? { phone: details.phone } : {}),
    ...(details.language !== null ? { language: details.language } : {}),
  };
  if (existing) {
    const updated = await tx.customer.update({
      where: { id: existing.id },
      data: {
        ...data,
        ...(existing.telegramUserId === null && details.telegramUserId !== null ? { telegramUserId: details.telegramUserId } : {}),
      },
    });
    return { id: updated.id, telegramUserId: updated.telegramUserId };
  }
  const created = await tx.customer.create({
    data: { id: newId(), ...data, telegramUserId: details.telegramUserId },
  });
  return { id: created.id, telegramUserId: created.telegramUserId };
}

/**
 * Gives an order's customer this Telegram user. When another customer record already has the
 * user (the same person ordered before with another phone), the order moves to that record.
 */
export async function attachTelegramUser(tx: DbOrTx, orderId: string, customerId: string, telegramUserId: bigint): Promise<string> {
  const holder = await tx.customer.findUnique({ where: { telegramUserId } });
  if (holder && holder.id !== customerId) {
    await tx.order.update({ where: { id: orderId }, data: { customerId: holder.id } });
    return holder.id;
  }
  if (!holder) await tx.customer.update({ where: { id: customerId }, data: { telegramUserId } });
  return customerId;
}

export interface ChatDetails {
  id: bigint;
  type: string;
  username: string | null;
  languageCode: string | null;
}

export async function upsertTelegramChat(tx: DbOrTx, chat: ChatDetails, customerId: string | null): Promise<void> {
  const data = { type: chat.type, username: chat.username, languageCode: chat.languageCode, ...(customerId ? { customerId } : {}) };
  await tx.telegramChat.upsert({ where: { id: chat.id }, create: { id: chat.id, ...data }, update: data });
}

export async function findTelegramChat(tx: DbOrTx, chatId: bigint) {
  return tx.telegramChat.findUnique({ where: { id: chatId } });
}

export async function recordSharedPhone(tx: DbOrTx, chat: ChatDetails, phone: string): Promise<void> {
  await tx.telegramChat.upsert({
    where: { id: chat.id },
    create: { id: chat.id, type: chat.type, username: chat.username, languageCode: chat.languageCode, sharedPhone: phone },
    update: { sharedPhone: phone },
  });
}

/** Customers with a phone, a page at a time in id order (for passes over every stored phone). */
export async function listCustomerPhones(tx: DbOrTx, after: string | null, take: number): Promise<Array<{ id: string; phone: string }>> {
  const rows = await tx.customer.findMany({
    where: { phone: { not: null }, ...(after !== null ? { id: { gt: after } } : {}) },
    select: { id: true, phone: true },
    orderBy: { id: "asc" },
    take,
  });
  return rows.map((row) => ({ id: row.id, phone: row.phone as string }));
}

export async function updateCustomerPhone(tx: DbOrTx, id: string, phone: string): Promise<void> {
  await tx.customer.update({ where: { id }, data: { phone } });
}

/** Since when Telegram answers 403 for the customer with this chat (they have not written since), or null. */
export async function customerUnreachableSince(tx: DbOrTx, telegramUserId: bigint): Promise<Date | null> {
  const customer = await tx.customer.findUnique({ where: { telegramUserId }, select: { unreachableAt: true } });
  return customer?.unreachableAt ?? null;
}
