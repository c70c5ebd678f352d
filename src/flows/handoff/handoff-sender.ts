import { GrammyError, type Api } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { z } from "zod";
import {
  findHandoff,
  findLatestHandoff,
  findRelay,
  findSupportTopic,
  recordRelay,
  setTopicClosed,
  setTopicThread,
  updateHandoff,
  type EditAs,
  type HandoffRecord,
} from "../../db/handoff-repository.js";
import { findOpenOrdersInChat, findOrder, type OrderRecord } from "../../db/order-repository.js";
import { answerPromise, workingContactHours } from "../../domain/handoff.js";
import { escapeHtml, type Translate } from "../../locales/i18n.js";
import type { Language } from "../../locales/supported-languages.js";
import { DeliveryError } from "../../outbox/delivery-error.js";
import { customerLanguage as customerLanguageOf } from "../../services/customer-language.js";
import { loadHandoffCard } from "../../services/handoff/handoff-card-data.js";
import type { HandoffIntent } from "../../services/handoff/handoff-intents.js";
import { deliveryOffer } from "../../services/handoff/manager-delivery.js";
import { managersGroupOf } from "../../services/handoff/open-handoff.js";
import { sendOrderMessage, updateOrderMessage, type PresenterDependencies } from "../confirmation/order-dialog-presenter.js";
import { formatDay } from "../confirmation/read-back-message.js";
import { packCardCallback, packRatingCallback } from "./handoff-callback.js";
import { renderOrderCard } from "./order-card.js";
import { dateTimeFormat } from "../../shared/intl-formats.js";
import { clipText, fitValues, splitUnder, telegramLimits } from "../../shared/telegram-limits.js";
import type { Skip } from "../../shared/skip-reason.js";
import { withPersonSkip } from "../../services/schedule-order-follow-ups.js";

const id = z.string().min(1);
const telegramId = z.string().regex(/^-?\d+$/);
const content = z.enum(["text", "captionable", "plain"]);
const handoffIntentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("handoff.card"), handoffId: id }),
  z.object({ kind: z.literal("handoff.reping"), handoffId: id, n: z.int() }),
  z.object({ kind: z.literal("handoff.relay_in"), handoffId: id, fromChatId: telegramId, messageId: z.int(), text: z.string().nullable(), content }),
  z.object({ kind: z.literal("handoff.topic_text"), customerChatId: telegramId, key: z.string(), params: z.record(z.string(), z.string()).optional() }),
  z.object({ kind: z.literal("handoff.close_topic"), customerChatId: telegramId }),
  z.object({ kind: z.literal("handoff.group_text"), key: z.string(), params: z.record(z.string(), z.string()).optional() }),
  z.object({ kind: z.literal("handoff.delivery_picker"), handoffId: id, date: z.iso.date().nullable(), messageId: z.int().nullable(), done: z.boolean() }),
  z.object({ kind: z.literal("handoff.delivery_changed"), handoffId: id, orderId: id, managerName: z.string() }),
  z.object({ kind: z.literal("handoff.notice"), handoffId: id, what: z.enum(["opened", "taken", "unanswered", "handed_back"]) }),
  z.object({ kind: z.literal("handoff.relay_out"), handoffId: id, fromChatId: telegramId, messageId: z.int(), text: z.string().nullable(), content }),
  z.object({ kind: z.literal("handoff.dialog"), orderId: id, how: z.enum(["resume", "resend", "refresh"]) }),
  z.object({ kind: z.literal("handoff.order_cancelled"), orderId: id }),
  z.object({ kind: z.literal("handoff.rating"), handoffId: id }),
  z.object({ kind: z.literal("handoff.relay_edit"), fromChatId: telegramId, messageId: z.int(), text: z.string(), managerName: z.string().optional() }),
]);

/** A handoff intent from the outbox, or null when the intent is not one of ours. */
export function parseHandoffIntent(intent: unknown): HandoffIntent | null {
  const parsed = handoffIntentSchema.safeParse(intent);
  return parsed.success ? (parsed.data as HandoffIntent) : null;
}

type Outcome = void | Skip;

const description = (error: unknown) => (error instanceof GrammyError ? error.description : "");
/** Telegram says the topic is gone: a person deleted it. */
const isThreadGone = (error: unknown) => /message thread not found|TOPIC_ID_INVALID|TOPIC_DELETED/i.test(description(error));
const isNotModified = (error: unknown) => /message is not modified|TOPIC_NOT_MODIFIED/.test(description(error));
const isMessageGone = (error: unknown) => /message to edit not found|message can't be edited|message to copy not found/.test(description(error));

/**
 * Sends what the handoff queued in the outbox, rendered from the state as it is now. Into the
 * managers' group everything goes into the customer's topic: a topic that does not exist yet is
 * created with the card first; one a person deleted ("message thread not found") is created again,
 * with the card, and the message goes there (the mapping customer ↔ topic is kept, only the
 * thread id changes).
 */
export async function deliverHandoffIntent(api: Api, deps: PresenterDependencies, intent: HandoffIntent): Promise<Outcome> {
  const { services } = deps;
  const db = services.db;
  const config = services.config();
  const group = managersGroupOf(services);
  const tm = deps.translator.forLanguage(config.managers.language);
  const shopName = config.shop.name;

  // ---------------------------------------------------------------- the managers' topic

  const createTopic = async (customerChatId: bigint, handoff: HandoffRecord | null): Promise<number> => {
    const card = handoff ? await loadHandoffCard(db, handoff.id, config) : null;
    const name = tm("handoff.managers.topicName", {
      customerName: card?.customer.name ?? String(customerChatId),
      orderNumber: card?.orders[0]?.order.externalId ?? String(customerChatId),
      interpolation: { escapeValue: false },
    });
    const topic = await api.createForumTopic(Number(group), clipText(name, 128));
    await setTopicThread(db, customerChatId, group!, topic.message_thread_id);
    return topic.message_thread_id;
  };

  /** Sends (or, when it is there already, edits) a handoff's card in the topic. */
  const showCard = async (handoffId: string, threadId: number, fresh: boolean): Promise<Outcome> => {
    const card = await loadHandoffCard(db, handoffId, config);
    if (!card) return { skipped: "the handoff no longer exists" };
    const { text, reply_markup } = renderOrderCard(card, tm, config.managers.language);
    const { handoff } = card;
    if (!fresh && handoff.cardMessageId !== null && handoff.cardThreadId === threadId) {
      try {
        await api.editMessageText(Number(group), handoff.cardMessageId, text, { parse_mode: "HTML", reply_markup: reply_markup ?? { inline_keyboard: [] } });
        return;
      } catch (error) {
        if (isNotModified(error)) return;
        if (!isMessageGone(error)) throw error;
      }
    }
    const sent = await api.sendMessage(Number(group), text, { parse_mode: "HTML", message_thread_id: threadId, ...(reply_markup ? { reply_markup } : {}) });
    await updateHandoff(db, handoff.id, { cardMessageId: sent.message_id, cardThreadId: threadId });
  };

  /**
   * Runs `send` in the customer's topic: creates the topic (card first) when there is none, and
   * once more in a recreated topic when Telegram says the thread is gone.
   */
  const intoTopic = async (customerChatId: bigint, send: (threadId: number) => Promise<Outcome>, options: { isCard?: string } = {}): Promise<Outcome> => {
    if (group === null) return { skipped: "no managers' group configured" };
    const topic = await findSupportTopic(db, customerChatId);
    const latest = await findLatestHandoff(db, customerChatId);
    const withCard = async (threadId: number) => {
      if (latest && latest.id !== options.isCard) await showCard(latest.id, threadId, true);
      return send(threadId);
    };
    if (!topic?.threadId || topic.groupChatId !== group) return withCard(await createTopic(customerChatId, latest));
    if (topic.closed) {
      await api.reopenForumTopic(Number(group), topic.threadId).catch((error: unknown) => {
        if (!isNotModified(error) && !isThreadGone(error)) throw error;
      });
      await setTopicClosed(db, customerChatId, false);
    }
    try {
      return await send(topic.threadId);
    } catch (error) {
      if (!isThreadGone(error)) throw error;
      services.logger.info({ customerChatId: String(customerChatId), threadId: topic.threadId }, "the customer's topic was deleted; recreating it");
      return withCard(await createTopic(customerChatId, latest));
    }
  };

  /** A 403 from the group means the bot was removed: the managers' side is broken, not the customer unreachable. */
  const inGroup = async (run: () => Promise<Outcome>): Promise<Outcome> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 403) throw new DeliveryError("permanent", `managers' group: ${error.description}`, { cause: error });
      throw error;
    }
  };

  // ---------------------------------------------------------------- the customer's chat

  const customerLanguage = async (handoff: Pick<HandoffRecord, "chatId" | "orderId">): Promise<Language> => {
    const record = handoff.orderId ? await findOrder(db, handoff.orderId) : null;
    return customerLanguageOf(deps.services, { chatId: handoff.chatId, customerId: record?.order.customer.id ?? null, orderLanguage: record?.order.customer.language ?? null });
  };
  const customerT = async (handoff: Pick<HandoffRecord, "chatId" | "orderId">): Promise<{ t: Translate; language: Language }> => {
    const language = await customerLanguage(handoff);
    return { t: deps.translator.forLanguage(language), language };
  };
  const customerName = async (chatId: bigint): Promise<string> => {
    const latest = await findLatestHandoff(db, chatId);
    const card = latest ? await loadHandoffCard(db, latest.id, config) : null;
    return card?.customer.name ?? String(chatId);
  };

  /** Sends a copy (a relay) and remembers it, so an edit of the original edits the copy. */
  const relay = async (handoff: HandoffRecord, from: { chatId: bigint; messageId: number }, toChatId: bigint, editAs: EditAs, send: () => Promise<number>) => {
    const toMessageId = await send();
    await recordRelay(db, { handoffId: handoff.id, fromChatId: from.chatId, fromMessageId: from.messageId, toChatId, toMessageId, editAs, now: services.clock.now() });
  };

  const editAsFor = (kind: "text" | "captionable" | "plain"): EditAs => (kind === "text" ? "text" : kind === "captionable" ? "caption" : "none");

  /**
   * A relayed text under its heading, over as many messages as Telegram's 4096 characters take;
   * the first message is the copy (an edit of the original edits it).
   */
  const sendRelayedText = async (chatId: bigint, heading: (part: string) => string, text: string, threadId?: number): Promise<number> => {
    const where = { parse_mode: "HTML" as const, ...(threadId === undefined ? {} : { message_thread_id: threadId }) };
    const [first, ...rest] = splitUnder(heading, text);
    const copy = await api.sendMessage(Number(chatId), first!, where);
    for (const part of rest) await api.sendMessage(Number(chatId), part, where);
    return copy.message_id;
  };

  switch (intent.kind) {
    case "handoff.card": {
      const handoff = await findHandoff(db, intent.handoffId);
      if (!handoff) return { skipped: "the handoff no longer exists" };
      return inGroup(() => intoTopic(handoff.chatId, (threadId) => showCard(handoff.id, threadId, false), { isCard: handoff.id }));
    }
    case "handoff.reping": {
      const handoff = await findHandoff(db, intent.handoffId);
      if (!handoff || handoff.state !== "waiting") return { skipped: "the chat was taken or ended" };
      const { afterMinutes } = config.managers.reping;
      const text = tm("handoff.managers.reping", {
        minutes: afterMinutes * intent.n,
        count: afterMinutes * intent.n,
        mentions: config.managers.mention.map((username) => `@${username}`).join(" "),
      });
      return inGroup(() =>
        intoTopic(handoff.chatId, async (threadId) => {
          await api.sendMessage(Number(group), text.trim(), { parse_mode: "HTML", message_thread_id: threadId });
        }),
      );
    }
    case "handoff.relay_in": {
      const handoff = await findHandoff(db, intent.handoffId);
      if (!handoff) return { skipped: "the handoff no longer exists" };
      const from = { chatId: BigInt(intent.fromChatId), messageId: intent.messageId };
      const name = await customerName(from.chatId);
      return inGroup(() =>
        intoTopic(handoff.chatId, (threadId) =>
          relay(handoff, from, group!, editAsFor(intent.content), async () => {
            if (intent.content === "text") return sendRelayedText(group!, (text) => tm("handoff.managers.relayIn", { customerName: name, text }), intent.text ?? "", threadId);
            const caption =
              intent.content === "captionable"
                ? fitValues(({ text }) => tm("handoff.managers.relayInCaption", { customerName: name, caption: text ? `: ${text}` : "" }), { text: intent.text ?? "" }, telegramLimits.caption)
                : undefined;
            const copy = await api.copyMessage(Number(group), Number(from.chatId), from.messageId, { message_thread_id: threadId, ...(caption ? { caption, parse_mode: "HTML" as const } : {}) });
            return copy.message_id;
          }),
        ),
      );
    }
    case "handoff.topic_text": {
      const text = fitValues((params) => tm(intent.key, params), intent.params ?? {});
      return inGroup(() =>
        intoTopic(BigInt(intent.customerChatId), async (threadId) => {
          await api.sendMessage(Number(group), text, { parse_mode: "HTML", message_thread_id: threadId });
        }),
      );
    }
    case "handoff.group_text": {
      if (group === null) return { skipped: "no managers' group is configured" };
      const text = fitValues((params) => tm(intent.key, params), intent.params ?? {});
      return inGroup(async () => {
        await api.sendMessage(Number(group), text, { parse_mode: "HTML" });
      });
    }
    case "handoff.delivery_picker": {
      const handoff = await findHandoff(db, intent.handoffId);
      if (!handoff) return { skipped: "the handoff no longer exists" };
      const picker = await deliveryPicker(handoff, intent);
      if (!picker) return { skipped: "the order no longer exists" };
      const { text, rows } = picker;
      return inGroup(async () => {
        if (intent.messageId !== null) {
          try {
            await api.editMessageText(Number(group), intent.messageId, text, { parse_mode: "HTML", reply_markup: { inline_keyboard: rows } });
            return;
          } catch (error) {
            if (isNotModified(error)) return;
            if (!isMessageGone(error)) throw error;
          }
        }
        return intoTopic(handoff.chatId, async (threadId) => {
          await api.sendMessage(Number(group), text, { parse_mode: "HTML", message_thread_id: threadId, ...(rows.length ? { reply_markup: { inline_keyboard: rows } } : {}) });
        });
      });
    }
    case "handoff.delivery_changed": {
      const record = await findOrder(db, intent.orderId);
      const delivery = record?.order.delivery;
      if (!record || record.chatId === null || !delivery?.date) return { skipped: "the order has no delivery day" };
      const { t, language } = await customerT({ chatId: record.chatId, orderId: record.order.id });
      const text = t("handoff.customer.deliveryChanged", {
        managerName: intent.managerName,
        shopName,
        orderNumber: record.order.externalId,
        delivery: deliveryText(record, t, language),
      });
      await api.sendMessage(Number(record.chatId), text, { parse_mode: "HTML" });
      return;
    }
    case "handoff.order_cancelled": {
      const record = await findOrder(db, intent.orderId);
      if (!record || record.chatId === null || record.order.state !== "cancelled") return { skipped: "the order is not cancelled" };
      const { t } = await customerT({ chatId: record.chatId, orderId: record.order.id });
      await api.sendMessage(Number(record.chatId), t("handoff.customer.orderCancelled", { shopName, orderNumber: record.order.externalId }), { parse_mode: "HTML" });
      return;
    }
    case "handoff.close_topic": {
      const topic = await findSupportTopic(db, BigInt(intent.customerChatId));
      if (group === null || !topic?.threadId) return { skipped: "no topic to close" };
      return inGroup(async () => {
        await api.closeForumTopic(Number(group), topic.threadId!).catch((error: unknown) => {
          if (!isNotModified(error) && !isThreadGone(error)) throw error;
        });
      });
    }
    case "handoff.notice": {
      const handoff = await findHandoff(db, intent.handoffId);
      if (!handoff) return { skipped: "the handoff no longer exists" };
      const stillApplies = { opened: handoff.state === "waiting", taken: handoff.state === "taken", unanswered: handoff.state === "waiting", handed_back: true }[intent.what];
      if (!stillApplies) return { skipped: `the handoff is ${handoff.state}` };
      const { t, language } = await customerT(handoff);
      await api.sendMessage(Number(handoff.chatId), await noticeText(intent.what, handoff, t, language), { parse_mode: "HTML" });
      // The owner change bumped the dialog's version: the order's buttons are renewed in place, so
      // the customer's own taps (confirm, change...) keep working while a person has the chat.
      if (intent.what === "opened" || intent.what === "taken") await renewDialogButtons(handoff.orderId);
      return;
    }
    case "handoff.relay_out": {
      const handoff = await findHandoff(db, intent.handoffId);
      if (!handoff) return { skipped: "the handoff no longer exists" };
      const { t } = await customerT(handoff);
      const from = { chatId: BigInt(intent.fromChatId), messageId: intent.messageId };
      const managerName = handoff.managerName ?? shopName;
      await relay(handoff, from, handoff.chatId, editAsFor(intent.content), async () => {
        if (intent.content === "text") return sendRelayedText(handoff.chatId, (text) => t("handoff.customer.managerSays", { managerName, shopName, text }), intent.text ?? "");
        const heading = t("handoff.customer.managerCaption", { managerName, shopName });
        const caption =
          intent.content === "captionable" ? fitValues(({ text }) => [heading, ...(text ? [escapeHtml(text)] : [])].join("\n"), { text: intent.text ?? "" }, telegramLimits.caption) : undefined;
        const copy = await api.copyMessage(Number(handoff.chatId), Number(from.chatId), from.messageId, caption ? { caption, parse_mode: "HTML" } : {});
        return copy.message_id;
      });
      return;
    }
    case "handoff.relay_edit": {
      const from = { chatId: BigInt(intent.fromChatId), messageId: intent.messageId };
      const relayed = await findRelay(db, from.chatId, from.messageId);
      if (!relayed || relayed.editAs === "none") return { skipped: "nothing to edit" };
      const toGroup = relayed.toChatId < 0n;
      // The copy is one message (the first, when a long text was split): the edit is cut to fit it.
      const limit = relayed.editAs === "text" ? telegramLimits.text : telegramLimits.caption;
      let render: (values: { text: string }) => string;
      if (toGroup) {
        const name = await customerName(from.chatId);
        render = ({ text }) => tm("handoff.managers.relayEdited", { customerName: name, text });
      } else {
        const handoff = await findHandoff(db, relayed.handoffId);
        const { t } = await customerT(handoff ?? { chatId: relayed.toChatId, orderId: null });
        const managerName = intent.managerName ?? handoff?.managerName ?? shopName;
        render = ({ text }) =>
          relayed.editAs === "text" ? t("handoff.customer.managerSays", { managerName, shopName, text }) : `${t("handoff.customer.managerCaption", { managerName, shopName })}\n${escapeHtml(text)}`;
      }
      const text = fitValues(render, { text: intent.text }, limit);
      const edit = async () => {
        try {
          if (relayed.editAs === "text") await api.editMessageText(Number(relayed.toChatId), relayed.toMessageId, text, { parse_mode: "HTML" });
          else await api.editMessageCaption(Number(relayed.toChatId), relayed.toMessageId, { caption: text, parse_mode: "HTML" });
        } catch (error) {
          if (isNotModified(error)) return;
          if (isMessageGone(error)) return { skipped: "the copy is gone" };
          throw error;
        }
      };
      return toGroup ? inGroup(edit) : edit();
    }
    case "handoff.dialog": {
      const record = await findOrder(db, intent.orderId);
      if (!record || record.chatId === null) return { skipped: "the order is not in a chat" };
      if (intent.how === "refresh") {
        if (record.dialog.messageId === null) return { skipped: "no dialog message to update" };
        await updateOrderMessage(api, deps, record, record.dialog.messageId);
        return;
      }
      if (record.order.state !== "awaiting_customer") return { skipped: `the order is ${record.order.state}` };
      // Resuming is the bot speaking again: only when the chat is the bot's (not escalated anew).
      if (intent.how === "resume" && record.dialog.owner !== "bot") return withPersonSkip(record.dialog.owner);
      await sendOrderMessage(api, deps, record.order.id, "none");
      return;
    }
    case "handoff.rating": {
      const handoff = await findHandoff(db, intent.handoffId);
      if (!handoff) return { skipped: "the handoff no longer exists" };
      const { t } = await customerT(handoff);
      const buttons = [1, 2, 3, 4, 5].map((score) => ({ text: `${score} ⭐`, callback_data: packRatingCallback(handoff.id, score) }));
      await api.sendMessage(Number(handoff.chatId), t("handoff.customer.ratingQuestion", { managerName: handoff.managerName ?? shopName }), {
        parse_mode: "HTML",
        reply_markup: { inline_keyboard: [buttons] },
      });
      return;
    }
  }

  /** The delivery picker's text and buttons, in the managers' language; null: no order to show. */
  async function deliveryPicker(
    handoff: HandoffRecord,
    intent: Extract<HandoffIntent, { kind: "handoff.delivery_picker" }>,
  ): Promise<{ text: string; rows: InlineKeyboardButton[][] } | null> {
    const language = config.managers.language;
    const record = handoff.orderId ? await findOrder(db, handoff.orderId) : null;
    if (!record) return null;
    const orderNumber = record.order.externalId;
    if (intent.done) return { text: tm("handoff.managers.delivery.set", { orderNumber, delivery: deliveryText(record, tm, language) }), rows: [] };
    const offer = await deliveryOffer(services, { handoffId: handoff.id, date: intent.date });
    switch (offer.type) {
      case "not_possible":
        return { text: tm(`handoff.managers.delivery.problems.${offer.problem}`), rows: [] };
      case "days": {
        const current = deliveryText(record, tm, language);
        if (!offer.days.length) return { text: tm("handoff.managers.delivery.noDays", { orderNumber, current }), rows: [] };
        const rows: InlineKeyboardButton[][] = [];
        for (let i = 0; i < offer.days.length; i += 3) {
          rows.push(offer.days.slice(i, i + 3).map((date) => ({ text: formatDay(date, language, "short"), callback_data: packCardCallback(handoff.id, "deliveryDay", date) })));
        }
        return { text: tm("handoff.managers.delivery.chooseDay", { orderNumber, current }), rows };
      }
      case "windows": {
        const date = formatDay(offer.date, language);
        const otherDay = [{ text: tm("handoff.managers.delivery.otherDay"), callback_data: packCardCallback(handoff.id, "delivery") }];
        return {
          text: tm(offer.windows.length ? "handoff.managers.delivery.chooseWindow" : "handoff.managers.delivery.dayFull", { orderNumber, date }),
          rows: [...offer.windows.map(({ window, index }) => [{ text: window, callback_data: packCardCallback(handoff.id, "deliveryWindow", offer.date, index) }]), otherDay],
        };
      }
    }
  }

  async function renewDialogButtons(orderId: string | null): Promise<void> {
    const record = orderId ? await findOrder(db, orderId) : null;
    if (!record || record.order.state !== "awaiting_customer" || record.dialog.messageId === null) return;
    await updateOrderMessage(api, deps, record, record.dialog.messageId).catch((error: unknown) => {
      if (!isNotModified(error)) services.logger.warn({ err: error, orderId }, "could not renew the order's buttons");
    });
  }

  async function noticeText(what: "opened" | "taken" | "unanswered" | "handed_back", handoff: HandoffRecord, t: Translate, language: Language): Promise<string> {
    switch (what) {
      case "opened": {
        const promise = answerPromise(services.clock.now(), workingContactHours(config.managers.workingHours), config.shop.timeZone);
        const within = config.managers.answerWithin[language] ?? config.managers.answerWithin.en ?? "15 minutes";
        const when =
          promise.type === "soon"
            ? t("handoff.customer.soon", { shopName, within })
            : t("handoff.customer.whenOpen", { shopName, opensAt: formatOpening(promise.opensAt, language, config.shop.timeZone) });
        return handoff.reason === "customer_request" ? when : `${t("handoff.customer.passed", { shopName })} ${when}`;
      }
      case "taken":
        return t("handoff.customer.taken", { managerName: handoff.managerName ?? "", shopName });
      case "unanswered":
        return t("handoff.customer.unanswered", { shopName });
      case "handed_back":
        return (await findOpenOrdersInChat(db, handoff.chatId)).length ? t("handoff.customer.handedBack") : t("handoff.customer.handedBackSettled");
    }
  }
}

/** "Wednesday, 2 December, 14:00-18:00": an order's delivery day and window as it stands. */
function deliveryText(record: OrderRecord, t: Translate, language: Language): string {
  const delivery = record.order.delivery;
  if (!delivery?.date) return t("handoff.managers.delivery.notAgreed");
  const date = formatDay(delivery.date, language);
  return delivery.window ? `${date}, ${delivery.window}` : date;
}

/** "Monday, 09:00" in the shop's time zone and the customer's language. */
function formatOpening(at: Date, language: Language, timeZone: string): string {
  return dateTimeFormat(language, { weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
}
