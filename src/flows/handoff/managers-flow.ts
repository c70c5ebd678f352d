import { Composer, type Filter } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { findHandoff, findTopicByThread } from "../../db/handoff-repository.js";
import type { Translate } from "../../locales/i18n.js";
import { endHandoff } from "../../services/handoff/end-handoff.js";
import type { Manager } from "../../services/handoff/manager.js";
import { recordManagerNote, type NoteAction } from "../../services/handoff/manager-notes.js";
import { applyManagerOrderAction, type ManagerOrderAction } from "../../services/handoff/manager-order-actions.js";
import { managersGroupOf } from "../../services/handoff/open-handoff.js";
import { relayEdit, relayManagerMessage } from "../../services/handoff/relay-messages.js";
import { takeHandoff } from "../../services/handoff/take-handoff.js";
import { cardCallbackPattern, parseCardCallback, type CardAction } from "./handoff-callback.js";
import { displayName, relaySource } from "./relay-source.js";

/**
 * The managers' side, in the forum supergroup named in `managers.groupChatId`: the buttons of the
 * order cards, and what managers write in a customer's topic (relayed to the customer from the
 * chat's owner; `//` and /note are internal notes; /hold <reason> and /unhold). Everything the
 * bot writes into the group goes through the outbox; taps are answered with a toast only.
 *
 * Who is a manager: a member of the managers' group, or one of `managers.userIds`. Anyone else
 * pressing a card's button is refused.
 */
export const managersFlow = new Composer<BotContext>();

const managersT = (ctx: BotContext): Translate => ctx.translator.forLanguage(ctx.services.config().managers.language);

async function isManager(ctx: BotContext, userId: number): Promise<boolean> {
  const config = ctx.services.config().managers;
  if (config.userIds.includes(userId)) return true;
  const group = managersGroupOf(ctx.services);
  if (group === null) return false;
  const member = await ctx.api.getChatMember(Number(group), userId).catch(() => null);
  if (!member) return false;
  return ["creator", "administrator", "member"].includes(member.status) || (member.status === "restricted" && member.is_member);
}

const managerOf = (user: { id: number; first_name: string; last_name?: string }): Manager => ({ id: BigInt(user.id), name: displayName(user) });

// ---------------------------------------------------------------- card buttons (wherever pressed)

managersFlow.callbackQuery(cardCallbackPattern, async (ctx) => {
  const t = managersT(ctx);
  let answer: { text: string; show_alert?: boolean } = { text: t("handoff.managers.answers.ended") };
  try {
    const data = parseCardCallback(ctx.callbackQuery.data);
    if (!data) return;
    if (!(await isManager(ctx, ctx.from.id))) {
      ctx.logger.warn({ userId: ctx.from.id, action: data.action }, "refused a card button to someone who is not a manager");
      answer = { text: t("handoff.managers.answers.notManager"), show_alert: true };
      return;
    }
    answer = await onCardAction(ctx, t, data.handoffId, data.action, managerOf(ctx.from));
  } finally {
    await ctx.answerCallbackQuery(answer);
  }
});

const orderActions: Partial<Record<CardAction, ManagerOrderAction>> = { resend: "resend_confirmation", confirm: "mark_confirmed", cancel: "mark_cancelled" };

async function onCardAction(ctx: BotContext, t: Translate, handoffId: string, action: CardAction, manager: Manager): Promise<{ text: string; show_alert?: boolean }> {
  const services = ctx.services;
  switch (action) {
    case "take": {
      const result = await takeHandoff(services, { handoffId, manager });
      switch (result.type) {
        case "taken":
          return { text: t("handoff.managers.answers.taken") };
        case "already_taken":
          return result.byYou ? { text: t("handoff.managers.answers.yoursAlready") } : { text: t("handoff.managers.answers.alreadyTaken", { managerName: result.by }), show_alert: true };
        case "ended":
        case "not_found":
          return { text: t("handoff.managers.answers.ended") };
      }
      break;
    }
    case "handBack":
    case "handBackReadBack":
    case "close": {
      const how = action === "close" ? ({ type: "close" } as const) : ({ type: "hand_back", resume: action === "handBack" ? "where_stopped" : "read_back" } as const);
      const result = await endHandoff(services, { handoffId, manager, how });
      if (result.type !== "ended") return { text: t("handoff.managers.answers.ended") };
      return { text: t(how.type === "close" ? "handoff.managers.answers.closed" : "handoff.managers.answers.handedBack") };
    }
    case "resend":
    case "confirm":
    case "cancel": {
      const handoff = await findHandoff(services.db, handoffId);
      if (!handoff?.orderId) return { text: t("handoff.managers.answers.noOrder") };
      const result = await applyManagerOrderAction(services, { orderId: handoff.orderId, manager, action: orderActions[action]! });
      switch (result.type) {
        case "done":
          return { text: t("handoff.managers.answers.done") };
        case "not_ready":
          return { text: t("handoff.managers.answers.notReady", { step: t(`handoff.managers.steps.${result.step}`, { defaultValue: result.step.replaceAll("_", " ") }) }), show_alert: true };
        case "rejected":
          return result.code === "ORDER_FINAL" ? { text: t("handoff.managers.answers.final") } : { text: t("handoff.managers.answers.stale") };
        case "not_found":
          return { text: t("handoff.managers.answers.noOrder") };
      }
    }
  }
  return { text: t("handoff.managers.answers.ended") };
}

// ---------------------------------------------------------------- topic messages

type GroupMessage = Filter<BotContext, "message">;

const inManagersGroup = (ctx: BotContext): boolean => {
  const group = managersGroupOf(ctx.services);
  return group !== null && ctx.chat?.id === Number(group);
};

const topics = managersFlow.filter(inManagersGroup);

/** The customer a topic belongs to; null for the General topic and topics that are not ours. */
async function topicCustomer(ctx: GroupMessage): Promise<bigint | null> {
  const threadId = ctx.message.is_topic_message ? ctx.message.message_thread_id : undefined;
  if (threadId === undefined) return null;
  const topic = await findTopicByThread(ctx.services.db, BigInt(ctx.chat.id), threadId);
  return topic?.chatId ?? null;
}

async function note(ctx: GroupMessage, action: NoteAction): Promise<void> {
  const customerChatId = await topicCustomer(ctx);
  if (customerChatId === null || !ctx.from || !(await isManager(ctx, ctx.from.id))) return;
  await recordManagerNote(ctx.services, { customerChatId, manager: managerOf(ctx.from), action });
}

topics.on("message").command("note", async (ctx) => {
  if (ctx.match.trim()) await note(ctx, { type: "note", text: ctx.match.trim() });
});
topics.on("message").command("hold", async (ctx) => {
  await note(ctx, { type: "hold", reason: ctx.match.trim() || managersT(ctx)("handoff.managers.topic.holdUsage") });
});
topics.on("message").command("unhold", (ctx) => note(ctx, { type: "release_hold" }));

topics.on("message", async (ctx) => {
  const from = ctx.from;
  if (!from || from.is_bot || ctx.message.is_topic_message !== true) return;
  const text = ctx.message.text ?? ctx.message.caption ?? "";
  // Rule 12: "// ..." is for staff only, stored on the order, never relayed.
  if (text.startsWith("//")) {
    const body = text.slice(2).trim();
    if (body) await note(ctx, { type: "note", text: body });
    return;
  }
  if (text.startsWith("/")) return; // another bot's command, or a typo: never relayed to a customer
  if (!(await isManager(ctx, from.id))) return;
  const threadId = ctx.message.message_thread_id;
  if (threadId === undefined) return;
  await relayManagerMessage(ctx.services, { source: relaySource(ctx.message), threadId, manager: managerOf(from) });
});

topics.on("edited_message", async (ctx) => {
  const edited = ctx.editedMessage;
  if (!edited.from || edited.from.is_bot) return;
  await relayEdit(ctx.services, { source: relaySource(edited), editDate: edited.edit_date ?? 0, managerName: displayName(edited.from) });
});
