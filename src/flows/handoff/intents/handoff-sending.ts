import type { z } from "zod";
import type { OrderRecord } from "../../../db/order-repository.js";
import type { Translate } from "../../../locales/i18n.js";
import type { Language } from "../../../locales/supported-languages.js";
import { customerLanguage } from "../../../services/customer-language.js";
import {
  readHandoff,
  readHandoffCard,
  readLatestHandoff,
  type EditAs,
  type HandoffRecord,
} from "../../../services/handoff/handoff-read-model.js";
import {
  handoffIntentSchemas,
  type HandoffIntentKind,
  type HandoffIntentOf,
  type RelayContent,
} from "../../../services/handoff/handoff-intents.js";
import { readOrder } from "../../../services/outbox-read-models.js";
import type { Skip } from "../../../shared/skip-reason.js";
import { splitUnder } from "../../../shared/telegram-limits.js";
import { formatDay } from "../../confirmation/read-back-message.js";
import { defineKinds, type IntentKind, type KindSpec } from "../../sending/intent-kind.js";
import type { SenderDependencies } from "../../sending/sender-dependencies.js";
import type { TelegramCall } from "../../sending/telegram-calls.js";

/*
 * What the handoff's kinds (topic-intents.ts, customer-intents.ts, relay-edit-intent.ts) share:
 * the languages on each side, names, and how a relayed text is cut into messages.
 */

/** One handoff kind in the registry, with its schema from src/services/handoff/handoff-intents.ts. */
export const handoffKind = <K extends HandoffIntentKind, M>(kind: K, spec: KindSpec<HandoffIntentOf<K>, M>): IntentKind[] =>
  defineKinds<HandoffIntentOf<K>, M>({ [kind]: schemaByKind[kind] }, spec);

const schemaByKind: { [K in HandoffIntentKind]: z.ZodType<HandoffIntentOf<K>> } = handoffIntentSchemas;

/** The managers' group (null: none is configured, then nothing goes there). */
export const managersGroup = (deps: SenderDependencies): bigint | null => deps.services.config().managers.groupChatId;
export const noGroup: Skip = { skipped: "no managers' group configured" };

/** The managers' translations (one language for the whole group). */
export const managersT = (deps: SenderDependencies): Translate => deps.translator.forLanguage(deps.services.config().managers.language);

/** The customer's language and translations, for a handoff (or a chat and its order). */
export async function customerT(
  deps: SenderDependencies,
  handoff: Pick<HandoffRecord, "chatId" | "orderId">,
): Promise<{ t: Translate; language: Language }> {
  const record = handoff.orderId ? await readOrder(deps.services, handoff.orderId) : null;
  const language = await customerLanguage(deps.services, {
    chatId: handoff.chatId,
    customerId: record?.order.customer.id ?? null,
    orderLanguage: record?.order.customer.language ?? null,
  });
  return { t: deps.translator.forLanguage(language), language };
}

/** The customer's name as their topic's card shows it (the chat id when there is none). */
export async function customerName(deps: SenderDependencies, chatId: bigint): Promise<string> {
  const latest = await readLatestHandoff(deps.services, chatId);
  const card = latest ? await readHandoffCard(deps.services, latest.id) : null;
  return card?.customer.name ?? String(chatId);
}

export const editAsFor = (content: RelayContent): EditAs => (content === "text" ? "text" : content === "captionable" ? "caption" : "none");

/**
 * A relayed text under its heading, over as many messages as Telegram's 4096 characters take;
 * the first message is the copy (an edit of the original edits it).
 */
export const relayedTextCalls = (chatId: bigint, heading: (part: string) => string, text: string): TelegramCall[] =>
  splitUnder(heading, text).map((part) => ({ method: "sendMessage", chatId, text: part, options: { parse_mode: "HTML" } }));

/** "Wednesday, 2 December, 14:00-18:00": an order's delivery day and window as it stands. */
export function deliveryText(record: OrderRecord, t: Translate, language: Language): string {
  const delivery = record.order.delivery;
  if (!delivery?.date) return t("handoff.managers.delivery.notAgreed");
  const date = formatDay(delivery.date, language);
  return delivery.window ? `${date}, ${delivery.window}` : date;
}

/** The handoff an intent is about, or the skip when it no longer exists. */
export async function handoffOrSkip(
  deps: SenderDependencies,
  handoffId: string,
  skipped = "the handoff no longer exists",
): Promise<HandoffRecord | Skip> {
  return (await readHandoff(deps.services, handoffId)) ?? { skipped };
}
