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

/** How a row is read: straight away, or through a memo (see services/language-facts-scope.ts). */
export type RowReader = <T>(key: string, read: () => Promise<T>) => Promise<T>;
const direct: RowReader = (_key, read) => read();

export async function findLanguageFacts(
  tx: DbOrTx,
  where: { chatId: bigint | null; customerId: string | null },
  readRow: RowReader = direct,
): Promise<LanguageFacts> {
  const chatId = where.chatId;
  const chat = chatId !== null ? await readRow(`chat:${chatId}`, () => tx.telegramChat.findUnique({ where: { id: chatId } })) : null;
  const customerId = where.customerId ?? chat?.customerId ?? null;
  // A private chat's id is its user's id: a customer known by Telegram user is the chat's customer.
  const customer = customerId
    ? await readRow(`customer:${customerId}`, () => tx.customer.findUnique({ where: { id: customerId } }))
    : chatId !== null && chatId > 0n
      ? await readRow(`customer-of-user:${chatId}`, () => tx.customer.findUnique({ where: { telegramUserId: chatId } }))
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
