import { Composer, type Filter } from "grammy";
import { classifyTelegramError } from "../../telegram/telegram-error.js";
import type { BotContext } from "../../bots/bot-context.js";
import { readHandoff, readTopicByThread } from "../../services/handoff/handoff-read-model.js";
import type { Translate } from "../../locales/i18n.js";
import type { ResumeChoice } from "../../domain/handoff.js";
import { endHandoff } from "../../services/handoff/end-handoff.js";
import { changeDeliverySlot, showDeliveryPicker } from "../../services/handoff/manager-delivery.js";
import type { Manager } from "../../services/handoff/manager.js";
import { recordManagerNote, type NoteAction } from "../../services/handoff/manager-notes.js";
import { applyManagerOrderAction, type ManagerOrderAction } from "../../services/handoff/manager-order-actions.js";
import { relayEdit, relayManagerMessage } from "../../services/handoff/relay-messages.js";
import { takeHandoff } from "../../services/handoff/take-handoff.js";
import { refuseOutsiderInTopic, replyInTopic } from "../../services/handoff/topic-replies.js";
import { cardCallbackPattern, parseCardCallback, type CardAction, type CardCallback } from "./handoff-callback.js";
import { displayName, relaySource } from "./relay-source.js";

/**
 * The managers' side, in the forum supergroup named in `managers.groupChatId`: the buttons of the
 * order cards, and what managers write in a customer's topic (relayed to the customer from the
 * chat's owner; `//` and /note are internal notes; /hold <reason> and /unhold). Everything the
 * bot writes into the group goes through the outbox; taps are answered with a toast only.
 *
 * Who is a manager: a member of the managers' group, or one of `managers.userIds`. Anyone else
 * pressing a card's button is refused; anyone else writing in a customer's topic is told (once in
 * a while) in the topic that it does not reach the customer.
 */
export const managersFlow = new Composer<BotContext>();

const managersT = (ctx: BotContext): Translate => ctx.translator.forLanguage(ctx.services.config().managers.language);

async function isManager(ctx: BotContext, userId: number): Promise<boolean> {
  const config = ctx.services.config().managers;
  if (config.userIds.includes(userId)) return true;
  if (config.groupChatId === null) return false;
  // Telegram refusing the look-up (not in the group, never seen) means not a manager; a flood or
  // network failure is not an answer, and goes to the update's error boundary.
  const member = await ctx.api.getChatMember(Number(config.groupChatId), userId).catch((error: unknown) => {
    if (classifyTelegramError(error).type === "rejected") return null;
    throw error;
  });
  if (!member) return false;
  return ["creator", "administrator", "member"].includes(member.status) || (member.status === "restricted" && member.is_member);
}

const managerOf = (user: { id: number; first_name: string; last_name?: string }): Manager => ({
  id: BigInt(user.id),
  name: displayName(user),
});

// ---------------------------------------------------------------- card buttons (wherever pressed)

managersFlow.callbackQuery(cardCallbackPattern, async (ctx) => {
  const t = managersT(ctx);
  let answer: Answer = { text: t("handoff.managers.answers.ended") };
  try {
    const data = parseCardCallback(ctx.callbackQuery.data);
    if (!data) return;
    if (!(await isManager(ctx, ctx.from.id))) {
      ctx.logger.warn({ userId: ctx.from.id, action: data.action }, "refused a card button to someone who is not a manager");
      answer = { text: t("handoff.managers.answers.notManager"), show_alert: true };
      return;
    }
    answer = await onCardAction(ctx, t, data, managerOf(ctx.from));
  } finally {
    await ctx.answerCallbackQuery(answer);
  }
});

const orderActions: Partial<Record<CardAction, ManagerOrderAction>> = {
  resend: "resend_confirmation",
  confirm: "mark_confirmed",
  cancel: "mark_cancelled",
};
const resumeFor: Partial<Record<CardAction, ResumeChoice>> = {
  handBack: "where_stopped",
  handBackReadBack: "read_back",
  handBackDelivery: "delivery",
  handBackAddress: "address",
};

/** The toast a tap is answered with (none when the topic itself shows what happened). */
type Answer = { text?: string; show_alert?: boolean };

async function onCardAction(ctx: BotContext, t: Translate, data: CardCallback, manager: Manager): Promise<Answer> {
  const services = ctx.services;
  const { handoffId } = data;
  switch (data.action) {
    case "take": {
      const result = await takeHandoff(services, { handoffId, manager });
      switch (result.type) {
        case "taken":
          return { text: t("handoff.managers.answers.taken") };
        case "already_taken":
          return result.byYou
            ? { text: t("handoff.managers.answers.yoursAlready") }
            : { text: t("handoff.managers.answers.alreadyTaken", { managerName: result.by }), show_alert: true };
        case "ended":
        case "not_found":
          return { text: t("handoff.managers.answers.ended") };
      }
      break;
    }
    case "handBack":
    case "handBackReadBack":
    case "handBackDelivery":
    case "handBackAddress":
    case "close": {
      const how =
        data.action === "close" ? ({ type: "close" } as const) : ({ type: "hand_back", resume: resumeFor[data.action]! } as const);
      const result = await endHandoff(services, { handoffId, manager, how });
      if (result.type !== "ended") return { text: t("handoff.managers.answers.ended") };
      return { text: t(how.type === "close" ? "handoff.managers.answers.closed" : "handoff.managers.answers.handedBack") };
    }
    case "resend":
    case "confirm":
    case "cancel": {
      const handoff = await readHandoff(services, handoffId);
      if (!handoff?.orderId) return { text: t("handoff.managers.answers.noOrder") };
      const result = await applyManagerOrderAction(services, { orderId: handoff.orderId, manager, action: orderActions[data.action]! });
      switch (result.type) {
        case "done":
          return { text: t("handoff.managers.answers.done") };
        case "not_ready":
          return {
            text: t("handoff.managers.answers.notReady", {
              step: t(`handoff.managers.steps.${result.step}`, { defaultValue: result.step.replaceAll("_", " ") }),
            }),
            show_alert: true,
          };
        case "rejected":
          return rejectedAnswer(t, result.code);
        case "not_found":
          return { text: t("handoff.managers.answers.noOrder") };
      }
      break;
    }
    case "delivery":
    case "deliveryDay": {
      // From the card: a new picker in the topic; from the picker ("other day", a day): the picker itself changes.
      const tapped = ctx.callbackQuery?.message?.message_id ?? null;
      const handoff = await readHandoff(services, handoffId);
      const messageId = tapped !== null && tapped !== handoff?.cardMessageId ? tapped : null;
      const result = await showDeliveryPicker(services, { handoffId, date: data.action === "deliveryDay" ? data.date : null, messageId });
      return result.type === "shown" ? {} : { text: t(`handoff.managers.delivery.problems.${result.problem}`), show_alert: true };
    }
    case "deliveryWindow": {
      const pickerMessageId = ctx.callbackQuery?.message?.message_id ?? null;
      const result = await changeDeliverySlot(services, {
        handoffId,
        manager,
        date: data.date,
        windowIndex: data.windowIndex,
        pickerMessageId,
      });
      switch (result.type) {
        case "changed":
          return { text: t("handoff.managers.answers.done") };
        case "unchanged":
          return { text: t("handoff.managers.delivery.unchanged") };
        case "rejected":
          if (result.code === "SLOT_FULL" || result.code === "NOT_OFFERED") {
            // What is still free, in place of what the manager saw.
            await showDeliveryPicker(services, {
              handoffId,
              date: result.code === "SLOT_FULL" ? data.date : null,
              messageId: pickerMessageId,
            });
            return {
              text: t(result.code === "SLOT_FULL" ? "handoff.managers.delivery.slotFull" : "handoff.managers.delivery.notOffered"),
              show_alert: true,
            };
          }
          return rejectedAnswer(t, result.code);
        case "not_found":
          return { text: t("handoff.managers.answers.noOrder") };
      }
      break;
    }
  }
  return { text: t("handoff.managers.answers.ended") };
}

function rejectedAnswer(t: Translate, code: string): Answer {
  switch (code) {
    case "ORDER_FINAL":
      return { text: t("handoff.managers.answers.final") };
    case "DELIVERY_FIXED":
      return { text: t("handoff.managers.delivery.problems.fixed"), show_alert: true };
    default:
      return { text: t("handoff.managers.answers.stale") };
  }
}

// ---------------------------------------------------------------- topic messages

type GroupMessage = Filter<BotContext, "message">;

const inManagersGroup = (ctx: BotContext): boolean => {
  const group = ctx.services.config().managers.groupChatId;
  return group !== null && ctx.chat?.id === Number(group);
};

const topics = managersFlow.filter(inManagersGroup);

/** The customer a topic belongs to; null for the General topic and topics that are not ours. */
async function topicCustomer(ctx: GroupMessage): Promise<bigint | null> {
  const threadId = ctx.message.is_topic_message ? ctx.message.message_thread_id : undefined;
  if (threadId === undefined) return null;
  const topic = await readTopicByThread(ctx.services, BigInt(ctx.chat.id), threadId);
  return topic?.chatId ?? null;
}

/**
 * A person writing in a customer's topic, when they are a manager. Anyone else is told once in the
 * topic that nothing of theirs reaches the customer (queued and paced like every group message);
 * the General topic, topics that are not a customer's and other bots are left alone.
 */
async function managerInTopic(ctx: GroupMessage): Promise<{ customerChatId: bigint; manager: Manager } | null> {
  const from = ctx.from;
  if (!from || from.is_bot) return null;
  const customerChatId = await topicCustomer(ctx);
  if (customerChatId === null) return null;
  if (!(await isManager(ctx, from.id))) {
    ctx.logger.warn({ userId: from.id }, "refused a message in a customer's topic from someone who is not a manager");
    await refuseOutsiderInTopic(ctx.services, { customerChatId, userId: BigInt(from.id) });
    return null;
  }
  return { customerChatId, manager: managerOf(from) };
}

/** A line into the topic in answer to a manager's message (once per message). */
const answerInTopic = (ctx: GroupMessage, customerChatId: bigint, key: string) =>
  replyInTopic(ctx.services, { customerChatId, key, dedupeKey: `answer:${ctx.chat.id}:${ctx.message.message_id}` });

async function note(ctx: GroupMessage, action: NoteAction | { usage: string }): Promise<void> {
  const writer = await managerInTopic(ctx);
  if (!writer) return;
  // A command without its text does nothing; the topic shows how to write it.
  if ("usage" in action) return answerInTopic(ctx, writer.customerChatId, action.usage);
  const result = await recordManagerNote(ctx.services, { customerChatId: writer.customerChatId, manager: writer.manager, action });
  if (result.type === "not_on_hold") await answerInTopic(ctx, writer.customerChatId, "handoff.managers.topic.notOnHold");
  if (result.type === "no_order") await answerInTopic(ctx, writer.customerChatId, "handoff.managers.topic.noOrderToHold");
}

topics.on("message").command("note", (ctx) => {
  const text = ctx.match.trim();
  return note(ctx, text ? { type: "note", text } : { usage: "handoff.managers.topic.noteUsage" });
});
topics.on("message").command("hold", (ctx) => {
  const reason = ctx.match.trim();
  return note(ctx, reason ? { type: "hold", reason } : { usage: "handoff.managers.topic.holdUsage" });
});
topics.on("message").command("unhold", (ctx) => note(ctx, { type: "release_hold" }));

topics.on("message", async (ctx) => {
  if (ctx.message.is_topic_message !== true) return;
  const writer = await managerInTopic(ctx);
  if (!writer) return;
  const text = ctx.message.text ?? ctx.message.caption ?? "";
  // Rule 12 (docs/rules-of-the-trade.md): "// ..." is for staff only, stored on the order, never relayed.
  if (text.startsWith("//")) {
    const body = text.slice(2).trim();
    if (body)
      await recordManagerNote(ctx.services, {
        customerChatId: writer.customerChatId,
        manager: writer.manager,
        action: { type: "note", text: body },
      });
    return;
  }
  if (text.startsWith("/")) return; // another bot's command, or a typo: never relayed to a customer
  const threadId = ctx.message.message_thread_id;
  if (threadId === undefined) return;
  await relayManagerMessage(ctx.services, { source: relaySource(ctx.message), threadId, manager: writer.manager });
});

topics.on("edited_message", async (ctx) => {
  const edited = ctx.editedMessage;
  if (!edited.from || edited.from.is_bot) return;
  await relayEdit(ctx.services, { source: relaySource(edited), editDate: edited.edit_date ?? 0, managerName: displayName(edited.from) });
});
