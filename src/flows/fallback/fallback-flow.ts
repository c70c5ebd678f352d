import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";

/**
 * Registered last: whatever no flow handled. A private message gets a polite pointer; button
 * presses nobody claimed are answered so the customer's spinner stops.
 */
export const fallbackFlow = new Composer<BotContext>();

fallbackFlow.on("callback_query", (ctx) => ctx.answerCallbackQuery());

fallbackFlow.chatType("private").on("message", (ctx) => ctx.reply(ctx.t("fallback.notUnderstood"), { parse_mode: "HTML" }));
