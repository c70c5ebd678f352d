import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { escalateOrder } from "../../services/escalate-order.js";
import { loadReturnStart, recentDeliveredOrders } from "../../services/returns/return-start.js";
import { packReturnStartCallback, parseReturnEntryCallback, returnEntryCallbackPattern, returnFormTapPattern } from "./return-callback.js";
import { returnFormId, type ReturnFormArgs } from "./return-form.js";
import { formatReturnDate, refusalMessage } from "./return-messages.js";

/**
 * Starting a return: /return (one delivered order: its form; several: a menu of the recent ones),
 * the button after delivery, and "talk to a person" when the window has closed.
 */
export const returnFlow = new Composer<BotContext>();
const privateChat = returnFlow.chatType("private");

/** Opens the form for an order, or says kindly why it cannot be returned. */
async function startReturn(ctx: BotContext & { from: { id: number } }, orderId: string): Promise<void> {
  const start = await loadReturnStart(ctx.services, { orderId, telegramUserId: BigInt(ctx.from.id) });
  if (start.type !== "eligible") {
    const refusal = refusalMessage(start, ctx);
    await ctx.reply(refusal.text, { parse_mode: "HTML", ...(refusal.reply_markup ? { reply_markup: refusal.reply_markup } : {}) });
    return;
  }
  // A form the customer left half filled in (this one or another) gives way to the new one.
  await ctx.conversation.exitAll();
  const args: ReturnFormArgs = { orderId };
  await ctx.conversation.enter(returnFormId, args);
}

privateChat.command("return", async (ctx) => {
  if (!ctx.services.config().returns.enabled) {
    await ctx.reply(ctx.t("returns.refusals.disabled", { shopName: ctx.shop.name }));
    return;
  }
  const orders = await recentDeliveredOrders(ctx.services, BigInt(ctx.from.id));
  if (orders.length === 0) {
    await ctx.reply(ctx.t("returns.menu.none", { shopName: ctx.shop.name }));
    return;
  }
  if (orders.length === 1) return startReturn(ctx, orders[0]!.orderId);
  await ctx.reply(ctx.t("returns.menu.title"), {
    reply_markup: {
      inline_keyboard: orders.map((order) => [
        {
          text: ctx.t(order.windowOpen ? "returns.menu.order" : "returns.menu.orderClosed", { orderNumber: order.orderNumber, date: formatReturnDate(order.deliveredAt, ctx), interpolation: { escapeValue: false } }),
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
    await ctx.answerCallbackQuery();
    return startReturn(ctx, data.orderId);
  }
  // The window has closed: a person can still make an exception (rule 10: always reach a person).
  const start = await loadReturnStart(ctx.services, { orderId: data.orderId, telegramUserId: BigInt(ctx.from.id) });
  if (start.type === "not_found" || start.type === "not_yours") return ctx.answerCallbackQuery({ text: ctx.t("returns.refusals.notFound"), show_alert: true });
  const result = await escalateOrder(ctx.services, { orderId: data.orderId, reason: "customer_request", detail: "return after the return window closed" });
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.answerCallbackQuery();
  const orderNumber = "orderNumber" in start ? start.orderNumber : "";
  await ctx.reply(ctx.t(result.type === "escalated" ? "returns.person.passed" : "returns.person.already", { orderNumber, shopName: ctx.shop.name }));
});

// A form button when no form is open (finished, cancelled, or timed out).
privateChat.callbackQuery(returnFormTapPattern, (ctx) => ctx.answerCallbackQuery({ text: ctx.t("returns.wrong.formClosed") }));
