import type { ChatDetails } from "./customer-repository.js";
import type { DbOrTx } from "./transaction.js";

/** What is known about the language of the customer in a chat, or of an order's customer. */
export interface LanguageFacts {
  /** Chosen by the customer in the chat (the customer's record, else the chat's). */
  chosen: string | null;
  /** The language the shop's latest order gave for the customer. */
  customerLanguage: string | null;
  /** Telegram's language_code of the chat's user, as last seen. */
  telegramLanguage: string | null;
}

export async function findLanguageFacts(tx: DbOrTx, where: { chatId: bigint | null; customerId: string | null }): Promise<LanguageFacts> {
  const chat = where.chatId !== null ? await tx.telegramChat.findUnique({ where: { id: where.chatId } }) : null;
  const customerId = where.customerId ?? chat?.customerId ?? null;
  // A private chat's id is its user's id: a customer known by Telegram user is the chat's customer.
  const customer = customerId
    ? await tx.customer.findUnique({ where: { id: customerId } })
    : where.chatId !== null && where.chatId > 0n
      ? await tx.customer.findUnique({ where: { telegramUserId: where.chatId } })
      : null;
  return {
    chosen: customer?.chosenLanguage ?? chat?.chosenLanguage ?? null,
    customerLanguage: customer?.language ?? null,
    telegramLanguage: chat?.languageCode ?? null,
  };
}

/**
 * Keeps the customer's choice on the chat and on the customer it belongs to (by the chat's
 * customer, else by Telegram user), so it holds before and after the chat is linked to orders.
 */
export async function saveChosenLanguage(tx: DbOrTx, chat: ChatDetails, language: string): Promise<void> {
  const saved = await tx.telegramChat.upsert({
    where: { id: chat.id },
    create: { id: chat.id, type: chat.type, username: chat.username, languageCode: chat.languageCode, chosenLanguage: language },
    update: { chosenLanguage: language },
  });
  const where = saved.customerId ? { id: saved.customerId } : { telegramUserId: chat.id };
  await tx.customer.updateMany({ where, data: { chosenLanguage: language } });
}
