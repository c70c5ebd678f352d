import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { BotContext } from "../../bots/bot-context.js";
import {
  chooseRemedy,
  orderAwaitingRemedyAddress,
  remedyCourierOptions,
  remedyOffer,
  requestRemedyAddress,
  type RemedyChoice,
  type RemedyResult,
} from "../../services/delivery-remedy.js";
import { formatDay } from "../confirmation/read-back-message.js";
import { packRemedyCallback, parseRemedyCallback, remedyCallbackPattern, remedyRows, type RemedyTap } from "./remedy-callback.js";
import { bestEffort } from "../../telegram/telegram-error.js";

/**
 * The ways out offered under a moved or broken date or a failed delivery attempt: each button
 * opens its step in a message of its own (days, then windows; pickup points; "sure to cancel?";
 * the address as the customer's next text), and the result replaces that message. What the
 * service no longer offers (the parcel arrived meanwhile) is answered, never applied.
 */
export const remedyFlow = new Composer<BotContext>();

const maxAddressLength = 300;

remedyFlow.callbackQuery(remedyCallbackPattern, async (ctx) => {
  const data = parseRemedyCallback(ctx.callbackQuery.data);
  if (!data) {
    ctx.logger.warn({ data: ctx.callbackQuery.data }, "malformed remedy button data");
    return ctx.answerCallbackQuery();
  }
  const telegramUserId = BigInt(ctx.from.id);
  const { orderId, tap } = data;
  const offer = await remedyOffer(ctx.services, orderId);
  if (offer && offer.record.chatId !== telegramUserId)
    return ctx.answerCallbackQuery({ text: ctx.t("order.rejections.notYours"), show_alert: true });
  if (!offer) return ctx.answerCallbackQuery({ text: ctx.t("notifications.remedies.notOffered"), show_alert: true });
  const orderNumber = offer.record.order.externalId;
  const button = (text: string, next: RemedyTap): InlineKeyboardButton => ({
    text,
    callback_data: packRemedyCallback({ orderId, tap: next }),
  });
  const back = [button(ctx.t("notifications.remedies.back"), { type: "back" })];
  // A step of the choice: the first from the problem's message opens a new message, the next ones edit it.
  const step = async (text: string, rows: InlineKeyboardButton[][]) => {
    const markup = { reply_markup: { inline_keyboard: rows } };
    if (tap.type === "open") await ctx.reply(text, markup);
    else await bestEffort(ctx.logger, "showing a remedy step", () => ctx.editMessageText(text, markup));
  };

  switch (tap.type) {
    case "back":
      await bestEffort(ctx.logger, "showing the remedies again", () =>
        ctx.editMessageText(ctx.t("notifications.remedies.ask", { orderNumber }), {
          reply_markup: { inline_keyboard: remedyRows(orderId, offer.kinds, ctx.t) },
        }),
      );
      return ctx.answerCallbackQuery();
    case "open":
      if (!offer.kinds.includes(tap.kind))
        return ctx.answerCallbackQuery({ text: ctx.t("notifications.remedies.notOffered"), show_alert: true });
      switch (tap.kind) {
        case "new_day":
          return showDays();
        case "pickup": {
          const points = ctx.services.config().delivery.pickup.points;
          const rows = points.flatMap((point, index) =>
            point.id === offer.record.order.delivery?.pointId ? [] : [[button(point.name, { type: "point", point: index })]],
          );
          await step(ctx.t("notifications.remedies.choosePoint", { orderNumber }), rows);
          return ctx.answerCallbackQuery();
        }
        case "cancel":
          await step(ctx.t("notifications.remedies.confirmCancel", { orderNumber }), [
            [button(ctx.t("notifications.remedies.yesCancel"), { type: "cancel_confirmed" })],
            [button(ctx.t("notifications.remedies.keep"), { type: "back" })],
          ]);
          return ctx.answerCallbackQuery();
        case "address": {
          const asked = await requestRemedyAddress(ctx.services, { orderId, telegramUserId });
          if (asked.type !== "waiting") return answerRefusal(asked);
          await ctx.reply(ctx.t("notifications.remedies.askAddress", { orderNumber }));
          return ctx.answerCallbackQuery();
        }
        case "code":
          return apply({ kind: "code" });
      }
      break;
    case "day":
      return showWindows(tap.date);
    case "window": {
      // The day and the free place are checked where they are booked (chooseRemedy).
      const window = ctx.services.config().delivery.courier.windows[tap.window]?.window;
      if (!window) return ctx.answerCallbackQuery({ text: ctx.t("notifications.remedies.notOffered"), show_alert: true });
      return apply({ kind: "new_day", date: tap.date, window });
    }
    case "point": {
      const point = ctx.services.config().delivery.pickup.points[tap.point];
      if (!point) return ctx.answerCallbackQuery({ text: ctx.t("notifications.remedies.notOffered"), show_alert: true });
      return apply({ kind: "pickup", pointId: point.id });
    }
    case "cancel_confirmed":
      return apply({ kind: "cancel" });
  }

  async function showDays() {
    const options = await remedyCourierOptions(ctx.services, null);
    const days = "days" in options ? options.days : [];
    if (days.length === 0) {
      await step(ctx.t("notifications.remedies.noDays", { orderNumber }), [back]);
      return ctx.answerCallbackQuery();
    }
    const rows: InlineKeyboardButton[][] = [];
    for (let i = 0; i < days.length; i += 3)
      rows.push(days.slice(i, i + 3).map((date) => button(formatDay(date, ctx.language, "short"), { type: "day", date })));
    await step(ctx.t("notifications.remedies.chooseDay", { orderNumber }), [...rows, back]);
    return ctx.answerCallbackQuery();
  }

  async function showWindows(date: string) {
    const options = await remedyCourierOptions(ctx.services, date);
    if (!("windows" in options) || options.windows.length === 0) return showDays();
    const windows = ctx.services.config().delivery.courier.windows;
    const rows = options.windows.map((window) => [
      button(window, { type: "window", date, window: windows.findIndex((w) => w.window === window) }),
    ]);
    await step(ctx.t("notifications.remedies.chooseWindow", { orderNumber, date: formatDay(date, ctx.language) }), [
      ...rows,
      [button(ctx.t("notifications.remedies.otherDay"), { type: "open", kind: "new_day" })],
    ]);
    return ctx.answerCallbackQuery();
  }

  async function apply(choice: RemedyChoice) {
    const result = await chooseRemedy(ctx.services, { orderId, telegramUserId, choice });
    if (result.type !== "applied") return answerRefusal(result);
    const text = appliedText(ctx, result);
    if (tap.type === "open") await ctx.reply(text, { parse_mode: "HTML" });
    else await bestEffort(ctx.logger, "showing the chosen remedy", () => ctx.editMessageText(text, { parse_mode: "HTML" }));
    return ctx.answerCallbackQuery();
  }

  async function answerRefusal(result: Exclude<RemedyResult, { type: "applied" }>) {
    switch (result.type) {
      case "slot_full":
        await ctx.answerCallbackQuery({ text: ctx.t("notifications.remedies.slotFull"), show_alert: true });
        return showDays();
      case "not_yours":
        return ctx.answerCallbackQuery({ text: ctx.t("order.rejections.notYours"), show_alert: true });
      case "not_found":
        return ctx.answerCallbackQuery({ text: ctx.t("order.rejections.notFound"), show_alert: true });
      case "not_offered":
        return ctx.answerCallbackQuery({ text: ctx.t("notifications.remedies.notOffered"), show_alert: true });
    }
  }
});

/** What the customer reads once their choice is applied. */
function appliedText(ctx: BotContext, result: Extract<RemedyResult, { type: "applied" }>): string {
  const orderNumber = result.record.order.externalId;
  const { choice } = result;
  switch (choice.kind) {
    case "new_day":
      return ctx.t("notifications.remedies.done.new_day", {
        orderNumber,
        date: formatDay(choice.date, ctx.language),
        window: choice.window,
      });
    case "pickup": {
      const point = ctx.services.config().delivery.pickup.points.find((p) => p.id === choice.pointId);
      return ctx.t("notifications.remedies.done.pickup", {
        orderNumber,
        point: point?.name ?? choice.pointId,
        address: point?.address ?? "",
      });
    }
    case "address":
      return ctx.t("notifications.remedies.done.address", { orderNumber, address: choice.address });
    case "cancel":
      return ctx.t("notifications.remedies.done.cancel", { orderNumber, shopName: ctx.shop.name });
    case "code":
      return ctx.t("notifications.remedies.done.code", { orderNumber, code: result.code ?? "" });
  }
}

// "Correct the address": the customer's next text is the address the courier brings it to.
remedyFlow.chatType("private").on("message:text", async (ctx, next) => {
  if (ctx.message.text.startsWith("/")) return next();
  const telegramUserId = BigInt(ctx.from.id);
  const orderId = await orderAwaitingRemedyAddress(ctx.services, telegramUserId);
  if (!orderId) return next();
  const address = ctx.message.text.trim().replace(/\s+/g, " ").slice(0, maxAddressLength);
  const result = await chooseRemedy(ctx.services, { orderId, telegramUserId, choice: { kind: "address", address } });
  if (result.type !== "applied") return ctx.reply(ctx.t("notifications.remedies.notOffered"));
  await ctx.reply(appliedText(ctx, result), { parse_mode: "HTML" });
});
