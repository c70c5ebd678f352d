import type { Api } from "grammy";
import {
  readHandoffCard,
  readLatestHandoff,
  readSupportTopic,
  recordCardMessage,
  recordTopicReopened,
  recordTopicThread,
  type HandoffRecord,
} from "../../services/handoff/handoff-read-model.js";
import type { HandoffCardData } from "../../services/handoff/handoff-card-data.js";
import type { Skip } from "../../shared/skip-reason.js";
import { clipText } from "../../shared/telegram-limits.js";
import { classifyTelegramError, isThreadGone } from "../../telegram/telegram-error.js";
import type { SenderDependencies } from "../sending/sender-dependencies.js";
import { callTelegram } from "../sending/call-telegram.js";
import { renderOrderCard } from "./order-card.js";

type Outcome = void | Skip;

/**
 * The customer's topic in the managers' group, written once for every kind that sends into it.
 * Runs `send` in the topic: a topic that does not exist yet is created with the card first; one
 * that is closed is reopened; one a person deleted ("message thread not found") is created again,
 * with the card, and `send` runs once more there (the mapping customer ↔ topic is kept, only the
 * thread id changes). `isCard`: `send` shows that handoff's card itself.
 */
export async function intoTopic<T>(
  api: Api,
  deps: SenderDependencies,
  customerChatId: bigint,
  send: (threadId: number) => Promise<T | Skip>,
  options: { isCard?: string } = {},
): Promise<T | Skip> {
  const { services } = deps;
  const group = services.config().managers.groupChatId;
  if (group === null) return { skipped: "no managers' group configured" };
  const topic = await readSupportTopic(services, customerChatId);
  const latest = await readLatestHandoff(services, customerChatId);
  const withCard = async (threadId: number) => {
    if (latest && latest.id !== options.isCard) await showCard(api, deps, latest.id, threadId, true);
    return send(threadId);
  };
  if (!topic?.threadId || topic.groupChatId !== group) return withCard(await createTopic(api, deps, group, customerChatId, latest));
  if (topic.closed) {
    const threadId = topic.threadId;
    await callTelegram(group, () => api.reopenForumTopic(Number(group), threadId)).catch((error: unknown) => {
      const { type } = classifyTelegramError(error);
      if (type !== "not_modified" && type !== "thread_gone") throw error;
    });
    await recordTopicReopened(services, customerChatId);
  }
  try {
    return await send(topic.threadId);
  } catch (error) {
    if (!isThreadGone(error)) throw error;
    services.logger.info(
      { customerChatId: String(customerChatId), threadId: topic.threadId },
      "the customer's topic was deleted; recreating it",
    );
    return withCard(await createTopic(api, deps, group, customerChatId, latest));
  }
}

/** Creates the customer's topic, named after them and their order, and records its thread. */
async function createTopic(
  api: Api,
  deps: SenderDependencies,
  group: bigint,
  customerChatId: bigint,
  handoff: HandoffRecord | null,
): Promise<number> {
  const { services } = deps;
  const card = handoff ? await readHandoffCard(services, handoff.id) : null;
  const name = topicName(deps, customerChatId, card);
  const topic = await callTelegram(group, () => api.createForumTopic(Number(group), name));
  await recordTopicThread(services, customerChatId, group, topic.message_thread_id);
  return topic.message_thread_id;
}

/** Telegram's longest topic name. */
const topicNameMax = 128;

/**
 * The customer's topic is named after them and their order, in the managers' language, and
 * marked while they have blocked the bot (so the list of topics shows it without opening one).
 */
export function topicName(deps: SenderDependencies, customerChatId: bigint, card: HandoffCardData | null): string {
  const tm = deps.translator.forLanguage(deps.services.config().managers.language);
  const key = card?.customer.unreachableSince ? "handoff.managers.topicNameBlocked" : "handoff.managers.topicName";
  const name = tm(key, {
    customerName: card?.customer.name ?? String(customerChatId),
    orderNumber: card?.orders[0]?.order.externalId ?? String(customerChatId),
    interpolation: { escapeValue: false },
  });
  return clipText(name, topicNameMax);
}

/**
 * Shows a handoff's card in the topic: edits it where it is (unless `fresh`, for a new topic),
 * else sends it and records where it went.
 */
export async function showCard(api: Api, deps: SenderDependencies, handoffId: string, threadId: number, fresh: boolean): Promise<Outcome> {
  const { services } = deps;
  const group = services.config().managers.groupChatId;
  if (group === null) return { skipped: "no managers' group configured" };
  const config = services.config();
  const card = await readHandoffCard(services, handoffId);
  if (!card) return { skipped: "the handoff no longer exists" };
  const { text, reply_markup } = renderOrderCard(card, deps.translator.forLanguage(config.managers.language), config.managers.language);
  const { handoff } = card;
  if (!fresh && handoff.cardMessageId !== null && handoff.cardThreadId === threadId) {
    const cardMessageId = handoff.cardMessageId;
    try {
      await callTelegram(group, () =>
        api.editMessageText(Number(group), cardMessageId, text, {
          parse_mode: "HTML",
          reply_markup: reply_markup ?? { inline_keyboard: [] },
        }),
      );
      return;
    } catch (error) {
      const { type } = classifyTelegramError(error);
      if (type === "not_modified") return;
      if (type !== "message_gone") throw error;
    }
  }
  const sent = await callTelegram(group, () =>
    api.sendMessage(Number(group), text, { parse_mode: "HTML", message_thread_id: threadId, ...(reply_markup ? { reply_markup } : {}) }),
  );
  await recordCardMessage(services, handoff.id, sent.message_id, threadId);
}
