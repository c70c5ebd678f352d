import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { askPersonAboutReturn } from "../../services/returns/return-person.js";
import { personHasChat } from "../../services/handoff/handoff-read-model.js";
import { loadReturnStart, recentDeliveredOrders } from "../../services/returns/return-start.js";
import { packReturnStartCallback, parseReturnEntryCallback, returnEntryCallbackPattern, returnFormTapPattern } from "./return-callback.js";
import { returnFormId, type ReturnFormArgs } from "./return-form.js";
import { formatReturnDate, noDeliveredOrdersMessage, refusalMessage } from "./return-messages.js";
import { bestEffort } from "../../telegram/telegram-error.js";

/**
 * Starting a return: /return (one delivered order: its form; several: a menu of the recent ones),
 * the button after delivery, and "talk to a person" under a refusal (the window has closed,
 * nothing can go back) or under the shop's rejection.
 */
export const returnFlow = new Composer<BotContext>();
const privateChat = returnFlow.chatType("private");

type TapAnswer = { text?: string; show_alert?: boolean };

/** Opens the form for an order, or says kindly why it cannot be returned. */
async function startReturn(ctx: BotContext & { from: { id: number } }, orderId: string): Promise<TapAnswer> {
  const start = await loadReturnStart(ctx.services, { orderId, telegramUserId: BigInt(ctx.from.id) });
  // A person has the chat: the bot does not start asking questions; a tap is answered on the spot.
  if (start.type === "with_person" && ctx.callbackQuery)
    return { text: ctx.t("returns.person.already", { shopName: ctx.shop.name }), show_alert: true };
  if (start.type !== "eligible") {
    const refusal = refusalMessage(start, ctx);
    await ctx.reply(refusal.text, { parse_mode: "HTML", ...(refusal.reply_markup ? { reply_markup: refusal.reply_markup } : {}) });
    return {};
  }
  // A form the customer left half filled in (this one or another) gives way to the new one.
  await ctx.conversation.exitAll();
  const args: ReturnFormArgs = { orderId };
  await ctx.conversation.enter(returnFormId, args);
  return {};
}

privateChat.command("return", async (ctx) => {
  if (!ctx.services.config().returns.enabled) {
    const refusal = refusalMessage({ type: "disabled" }, ctx);
    await ctx.reply(refusal.text, { parse_mode: "HTML", ...(refusal.reply_markup ? { reply_markup: refusal.reply_markup } : {}) });
    return;
  }
  const orders = await recentDeliveredOrders(ctx.services, BigInt(ctx.from.id));
  if (orders.length === 0) {
    const none = noDeliveredOrdersMessage(ctx);
    await ctx.reply(none.text, { parse_mode: "HTML", ...(none.reply_markup ? { reply_markup: none.reply_markup } : {}) });
    return;
  }
  if (orders.length === 1) {
    await startReturn(ctx, orders[0]!.orderId);
    return;
  }
  await ctx.reply(ctx.t("returns.menu.title"), {
    reply_markup: {
      inline_keyboard: orders.map((order) => [
        {
          text: ctx.t(order.windowOpen ? "returns.menu.order" : "returns.menu.orderClosed", {
            orderNumber: order.orderNumber,
            date: formatReturnDate(order.deliveredAt, ctx),
            interpolation: { escapeValue: false },
          }),
          callback_data: packReturnStartCallback(order.orderId),
        },
      ]),
    },
  });
});

privateChat.callbackQuery(returnEntryCallbackPattern, async (ctx) => {
  const data = parseReturnEntryCallback(ctx.callbackQuery.data);
  if (!data) {
    ctx.logger.warn({ data: ctx.callbackQuery.data }, "malformed return button data");
    return ctx.answerCallbackQuery({ text: ctx.t("returns.wrong.staleButton") });
  }
  if (data.type === "start") {
    let answer: TapAnswer = {};
    try {
      answer = await startReturn(ctx, data.orderId);
    } finally {
      await ctx.answerCallbackQuery(answer);
    }
    return;
  }
  // A person can still help: the window has closed, nothing can go back, the shop said no (rule
  // 10: the customer can always reach a person).
  const start = await loadReturnStart(ctx.services, { orderId: data.orderId, telegramUserId: BigInt(ctx.from.id) });
  if (start.type === "not_found" || start.type === "not_yours")
    return ctx.answerCallbackQuery({ text: ctx.t("returns.refusals.notFound"), show_alert: true });
  const detail =
    start.type === "window_closed"
      ? "return after the return window closed"
      : start.type === "nothing_returnable"
        ? "return of items that cannot be returned"
        : "a return";
  const result = await askPersonAboutReturn(ctx.services, { orderId: data.orderId, detail });
  if (result.type === "not_found") return ctx.answerCallbackQuery({ text: ctx.t("returns.refusals.notFound"), show_alert: true });
  await bestEffort(ctx.logger, "taking the return buttons off", () => ctx.editMessageReplyMarkup());
  // Already with a person: said on the spot, not written into the chat the person has.
  if (result.type === "already_with_people")
    return ctx.answerCallbackQuery({ text: ctx.t("returns.person.already", { shopName: ctx.shop.name }), show_alert: true });
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("returns.person.passed", { orderNumber: result.orderNumber, shopName: ctx.shop.name }));
});

// A form button when no form is open (finished, cancelled, timed out, or a person took the chat).
privateChat.callbackQuery(returnFormTapPattern, async (ctx) => {
  if (await personHasChat(ctx.services, BigInt(ctx.chat.id))) {
    return ctx.answerCallbackQuery({ text: ctx.t("returns.person.already", { shopName: ctx.shop.name }), show_alert: true });
  }
  return ctx.answerCallbackQuery({ text: ctx.t("returns.wrong.formClosed") });
});
