import { findLanguageFacts, saveChosenLanguage } from "../db/customer-language-repository.js";
import type { ChatDetails } from "../db/customer-repository.js";
import { withTransaction } from "../db/transaction.js";
import { resolveLanguage } from "../locales/i18n.js";
import { isSupportedLanguage, type Language } from "../locales/supported-languages.js";
import { forgetLanguageRows, memoizedRow } from "./language-facts-scope.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/** What a caller knows besides the database: the chat, the order's customer, the update's language_code. */
export interface LanguageHints {
  chatId?: bigint | null;
  customerId?: string | null;
  /** The language of the order or request at hand (else the customer's, from their latest order). */
  orderLanguage?: string | null;
  /** language_code of the update being answered (else the one last seen in the chat). */
  telegramLanguage?: string | null | undefined;
}

/**
 * The one answer to "which language do we speak with this customer": the one they chose in the
 * chat, else the order's, else Telegram's, else the shop's default; always one the shop offers.
 * Every message to a customer (replies, the outbox's messages) is rendered in it.
 */
export async function customerLanguage(deps: Pick<ServiceDependencies, "db" | "config">, hints: LanguageHints): Promise<Language> {
  const facts = await findLanguageFacts(deps.db, { chatId: hints.chatId ?? null, customerId: hints.customerId ?? null }, memoizedRow);
  return resolveLanguage(
    [facts.chosen, hints.orderLanguage ?? facts.customerLanguage, hints.telegramLanguage ?? facts.telegramLanguage],
    deps.config().shop,
  );
}

export type ChooseLanguageResult = { type: "chosen"; language: Language } | { type: "not_offered" };

/** The customer chose a language (/language, or a button under the first message). */
export async function chooseLanguage(
  deps: Pick<ServiceDependencies, "db" | "config">,
  chat: ChatDetails,
  code: string,
): Promise<ChooseLanguageResult> {
  if (!isSupportedLanguage(code) || !deps.config().shop.languages.includes(code)) return { type: "not_offered" };
  await withTransaction(deps.db, (tx) => saveChosenLanguage(tx, chat, code));
  forgetLanguageRows();
  return { type: "chosen", language: code };
}
