import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { escalateChat } from "../../services/handoff/escalate-chat.js";
import { handleUnusableText } from "../../services/handoff/free-text.js";
import { rateHelp } from "../../services/handoff/rate-help.js";
import { parseRatingCallback, ratingCallbackPattern, talkToPersonData } from "./handoff-callback.js";
import { bestEffort, classifyTelegramError } from "../../telegram/telegram-error.js";

/**
 * The ways a customer reaches a person besides the order's own button: /help offers it, a word
 * the owner listed or texts the dialog cannot use (twice in a row) lead there, and the rating
 * after a hand back (a low one goes back to a person). Registered just before the fallback, so
 * it only sees what no other flow used.
 */
export const escalationFlow = new Composer<BotContext>();
const privateChats = escalationFlow.chatType("private");

privateChats.command("help", (ctx) =>
  ctx.reply(ctx.t("handoff.customer.help"), {
    parse_mode: "HTML",
    reply_markup: { inline_keyboard: [[{ text: ctx.t("handoff.customer.talkToPerson"), callback_data: talkToPersonData }]] },
  }),
);

// Managers' commands are ordergram's in the managers' topics only; in a private chat they mean
// nothing to ordergram. Standalone it says so; in a host bot they are the host's (its own /take).
privateChats.command(["note", "hold", "unhold", "take"], (ctx) =>
  ctx.hosted ? ctx.passOn() : ctx.reply(ctx.t("handoff.customer.notForCustomers")),
);

privateChats.callbackQuery(talkToPersonData, async (ctx) => {
  try {
    const result = await escalateChat(ctx.services, { chatId: BigInt(ctx.chat.id), reason: "customer_request", detail: "/help" });
    const text =
      result.type === "escalated"
        ? ctx.t("handoff.customer.helpRequested", { shopName: ctx.shop.name })
        : ctx.t("handoff.customer.alreadyWithPeople", { shopName: ctx.shop.name });
    // The answer replaces the tapped message; when that message can no longer be edited, it comes
    // as a new one. Any other failure is not a reason to say it twice.
    await ctx.editMessageText(text, { parse_mode: "HTML" }).catch(async (error: unknown) => {
      const failure = classifyTelegramError(error).type;
      if (failure === "message_gone") await ctx.reply(text, { parse_mode: "HTML" });
      else if (failure !== "not_modified") throw error;
    });
  } finally {
    await ctx.answerCallbackQuery();
  }
});

privateChats.callbackQuery(ratingCallbackPattern, async (ctx) => {
  try {
    const data = parseRatingCallback(ctx.callbackQuery.data);
    if (!data) return;
    const result = await rateHelp(ctx.services, { handoffId: data.handoffId, chatId: BigInt(ctx.chat.id), score: data.score });
    const text =
      result.type === "thanks"
        ? ctx.t(result.low ? "handoff.customer.ratingLow" : "handoff.customer.ratingThanks")
        : ctx.t("handoff.customer.ratingAlready");
    await bestEffort(ctx.logger, "answering the help rating", () => ctx.editMessageText(text, { parse_mode: "HTML" }));
  } finally {
    await ctx.answerCallbackQuery();
  }
});

privateChats.on("message:text", async (ctx, next) => {
  if (ctx.message.text.startsWith("/")) return next();
  const result = await handleUnusableText(ctx.services, { chatId: BigInt(ctx.chat.id), text: ctx.message.text });
  if (result.type === "not_understood") await next();
});
