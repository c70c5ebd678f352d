import type { InlineKeyboardButton } from "grammy/types";
import type { OrderRecord } from "../../../db/order-repository.js";
import type { HandoffIntentOf } from "../../../services/handoff/handoff-intents.js";
import {
  readHandoffCard,
  readLatestHandoff,
  readSupportTopic,
  recordRelayCopy,
  type HandoffRecord,
} from "../../../services/handoff/handoff-read-model.js";
import { deliveryOffer } from "../../../services/handoff/manager-delivery.js";
import { readOrder } from "../../../services/outbox-read-models.js";
import { skip } from "../../sending/intent-kind.js";
import { isSkip, type TelegramCall } from "../../sending/telegram-calls.js";
import type { SenderDependencies } from "../../sending/sender-dependencies.js";
import { fitValues, telegramLimits } from "../../../shared/telegram-limits.js";
import { formatDay } from "../../confirmation/read-back-message.js";
import { packCardCallback } from "../handoff-callback.js";
import { topicName } from "../managers-topic.js";
import {
  customerName,
  deliveryText,
  editAsFor,
  handoffKind,
  handoffOrSkip,
  managersGroup,
  managersT,
  noGroup,
  relayedTextCalls,
} from "./handoff-sending.js";

/*
 * What the handoff sends into the managers' group: everything but the General topic's lines goes
 * into the customer's topic (`inTopic`, see managers-topic.ts for how the topic is kept).
 */

const inTopic = (customerChatId: bigint, calls: TelegramCall[], isCard?: string): TelegramCall => ({
  method: "inTopic",
  customerChatId,
  calls,
  ...(isCard === undefined ? {} : { isCard }),
});

/** Opens (or reopens, or recreates) the customer's topic and shows the handoff's card, or refreshes it. */
const card = handoffKind("handoff.card", {
  read: (deps, intent) => handoffOrSkip(deps, intent.handoffId),
  stillApplies: () => null,
  render: (handoff) => [inTopic(handoff.chatId, [{ method: "handoffCard", handoffId: handoff.id }], handoff.id)],
});

/** Nobody took the chat yet: the group is pinged again. */
const reping = handoffKind("handoff.reping", {
  read: (deps, intent) => handoffOrSkip(deps, intent.handoffId, "the chat was taken or ended"),
  stillApplies: (handoff) => (handoff.state === "waiting" ? null : { skipped: "the chat was taken or ended" }),
  render(handoff, intent, deps) {
    const group = managersGroup(deps);
    if (group === null) return noGroup;
    const config = deps.services.config();
    const { afterMinutes } = config.managers.reping;
    const text = managersT(deps)("handoff.managers.reping", {
      minutes: afterMinutes * intent.n,
      count: afterMinutes * intent.n,
      mentions: config.managers.mention.map((username) => `@${username}`).join(" "),
    });
    return [inTopic(handoff.chatId, [{ method: "sendMessage", chatId: group, text: text.trim(), options: { parse_mode: "HTML" } }])];
  },
});

/** A customer's message copied into their topic, under their name. */
const relayIn = handoffKind("handoff.relay_in", {
  async read(deps, intent) {
    const handoff = await handoffOrSkip(deps, intent.handoffId);
    if (isSkip(handoff)) return handoff;
    return { handoff, name: await customerName(deps, BigInt(intent.fromChatId)) };
  },
  stillApplies: () => null,
  render({ handoff, name }, intent, deps) {
    const group = managersGroup(deps);
    if (group === null) return noGroup;
    const tm = managersT(deps);
    if (intent.content === "text") {
      return [
        inTopic(
          handoff.chatId,
          relayedTextCalls(group, (text) => tm("handoff.managers.relayIn", { customerName: name, text }), intent.text ?? ""),
        ),
      ];
    }
    const caption =
      intent.content === "captionable"
        ? fitValues(
            ({ text }) => tm("handoff.managers.relayInCaption", { customerName: name, caption: text ? `: ${text}` : "" }),
            { text: intent.text ?? "" },
            telegramLimits.caption,
          )
        : undefined;
    const options = caption ? { caption, parse_mode: "HTML" as const } : {};
    return [
      inTopic(handoff.chatId, [
        { method: "copyMessage", chatId: group, fromChatId: BigInt(intent.fromChatId), messageId: intent.messageId, options },
      ]),
    ];
  },
  async afterSend({ deps }, { handoff }, intent, sent) {
    const group = managersGroup(deps);
    if (group === null) return;
    const from = { chatId: BigInt(intent.fromChatId), messageId: intent.messageId };
    await recordRelayCopy(deps.services, {
      handoffId: handoff.id,
      from,
      toChatId: group,
      toMessageId: sent.messageIds[0]!,
      editAs: editAsFor(intent.content),
    });
  },
});

/** A short line from the bot into a topic (a refusal, a hint). */
const topicText = handoffKind("handoff.topic_text", {
  read: async () => ({}),
  stillApplies: () => null,
  render(_model, intent, deps) {
    const group = managersGroup(deps);
    if (group === null) return noGroup;
    const text = fitValues((params) => managersT(deps)(intent.key, params), intent.params ?? {});
    return [inTopic(BigInt(intent.customerChatId), [{ method: "sendMessage", chatId: group, text, options: { parse_mode: "HTML" } }])];
  },
});

/** A line into the group's General topic. */
const groupText = handoffKind("handoff.group_text", {
  read: async () => ({}),
  stillApplies: () => null,
  render(_model, intent, deps) {
    const group = managersGroup(deps);
    if (group === null) return { skipped: "no managers' group is configured" };
    const text = fitValues((params) => managersT(deps)(intent.key, params), intent.params ?? {});
    return [{ method: "sendMessage", chatId: group, text, options: { parse_mode: "HTML" } }];
  },
});

/** Closes the customer's topic (closed or gone already: done). */
const closeTopic = handoffKind("handoff.close_topic", {
  read: async (deps, intent) => ({
    topic: await readSupportTopic(deps.services, BigInt(intent.customerChatId)),
    group: managersGroup(deps),
  }),
  stillApplies: ({ topic, group }) => (group === null || !topic?.threadId ? { skipped: "no topic to close" } : null),
  render: ({ topic, group }) =>
    group === null || !topic?.threadId
      ? { skipped: "no topic to close" }
      : [{ method: "closeForumTopic", chatId: group, threadId: topic.threadId }],
});

/** Names the customer's topic as things are now: marked while the customer has blocked the bot. */
const topicTitle = handoffKind("handoff.topic_title", {
  async read(deps, intent) {
    const customerChatId = BigInt(intent.customerChatId);
    const topic = await readSupportTopic(deps.services, customerChatId);
    const group = managersGroup(deps);
    if (group === null || !topic?.threadId || topic.groupChatId !== group) return skip("no topic to name");
    const latest = await readLatestHandoff(deps.services, customerChatId);
    const card = latest ? await readHandoffCard(deps.services, latest.id) : null;
    return { group, threadId: topic.threadId, name: topicName(deps, customerChatId, card) };
  },
  stillApplies: () => null,
  render: ({ group, threadId, name }) => [{ method: "editForumTopic", chatId: group, threadId, name }],
});

type PickerIntent = HandoffIntentOf<"handoff.delivery_picker">;

/** The delivery picker in the topic: a new message, or the one it was (sent again when that is gone). */
const deliveryPicker = handoffKind("handoff.delivery_picker", {
  async read(deps, intent) {
    const handoff = await handoffOrSkip(deps, intent.handoffId);
    if (isSkip(handoff)) return handoff;
    return (await pickerFor(deps, handoff, intent)) ?? { skipped: "the order no longer exists" };
  },
  stillApplies: () => null,
  render({ handoff, text, rows }, intent, deps) {
    const group = managersGroup(deps);
    if (group === null) return noGroup;
    const send = inTopic(handoff.chatId, [
      {
        method: "sendMessage",
        chatId: group,
        text,
        options: { parse_mode: "HTML", ...(rows.length ? { reply_markup: { inline_keyboard: rows } } : {}) },
      },
    ]);
    if (intent.messageId === null) return [send];
    return [
      {
        method: "editMessageText",
        chatId: group,
        messageId: intent.messageId,
        text,
        options: { parse_mode: "HTML", reply_markup: { inline_keyboard: rows } },
        ifGone: [send],
      },
    ];
  },
});

/** The delivery picker's text and buttons, in the managers' language; null: no order to show. */
async function pickerFor(
  deps: SenderDependencies,
  handoff: HandoffRecord,
  intent: PickerIntent,
): Promise<{ handoff: HandoffRecord; text: string; rows: InlineKeyboardButton[][] } | null> {
  const language = deps.services.config().managers.language;
  const tm = managersT(deps);
  const record: OrderRecord | null = handoff.orderId ? await readOrder(deps.services, handoff.orderId) : null;
  if (!record) return null;
  const orderNumber = record.order.externalId;
  if (intent.done)
    return { handoff, text: tm("handoff.managers.delivery.set", { orderNumber, delivery: deliveryText(record, tm, language) }), rows: [] };
  const offer = await deliveryOffer(deps.services, { handoffId: handoff.id, date: intent.date });
  switch (offer.type) {
    case "not_possible":
      return { handoff, text: tm(`handoff.managers.delivery.problems.${offer.problem}`), rows: [] };
    case "days": {
      const current = deliveryText(record, tm, language);
      if (!offer.days.length) return { handoff, text: tm("handoff.managers.delivery.noDays", { orderNumber, current }), rows: [] };
      const rows: InlineKeyboardButton[][] = [];
      for (let i = 0; i < offer.days.length; i += 3) {
        rows.push(
          offer.days.slice(i, i + 3).map((date) => ({
            text: formatDay(date, language, "short"),
            callback_data: packCardCallback(handoff.id, "deliveryDay", date),
          })),
        );
      }
      return { handoff, text: tm("handoff.managers.delivery.chooseDay", { orderNumber, current }), rows };
    }
    case "windows": {
      const date = formatDay(offer.date, language);
      const otherDay = [{ text: tm("handoff.managers.delivery.otherDay"), callback_data: packCardCallback(handoff.id, "delivery") }];
      return {
        handoff,
        text: tm(offer.windows.length ? "handoff.managers.delivery.chooseWindow" : "handoff.managers.delivery.dayFull", {
          orderNumber,
          date,
        }),
        rows: [
          ...offer.windows.map(({ window, index }) => [
            { text: window, callback_data: packCardCallback(handoff.id, "deliveryWindow", offer.date, index) },
          ]),
          otherDay,
        ],
      };
    }
  }
}

/** The kinds that go into the managers' group. */
export const topicKinds = [...card, ...reping, ...relayIn, ...topicText, ...groupText, ...closeTopic, ...topicTitle, ...deliveryPicker];
