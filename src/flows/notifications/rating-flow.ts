import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { addRatingComment, rateOrder, requestRatingComment } from "../../services/rate-order.js";
import { rowsBesideRating } from "./notification-messages.js";
import { packRatingCallback, parseRatingCallback, ratingCallbackPattern } from "./rating-callback.js";
import { bestEffort } from "../../telegram/telegram-error.js";

/**
 * After delivery: the 1-5 buttons under the thanks message, "Add a comment", and the comment
 * itself (the customer's next text, taken only while a comment is asked for and the bot has the
 * chat; with a person, rating-comment-flow.ts takes it on its way to the topic).
 */
export const ratingFlow = new Composer<BotContext>();

ratingFlow.callbackQuery(ratingCallbackPattern, async (ctx) => {
  const data = parseRatingCallback(ctx.callbackQuery.data);
  if (!data) {
    ctx.logger.warn({ data: ctx.callbackQuery.data }, "malformed rating button data");
    return ctx.answerCallbackQuery();
  }
  const telegramUserId = BigInt(ctx.from.id);
  if (data.action.type === "comment") {
    const outcome = await requestRatingComment(ctx.services, { orderId: data.orderId, telegramUserId });
    if (outcome !== "waiting") return ctx.answerCallbackQuery({ text: ctx.t("order.rejections.notYours"), show_alert: true });
    const rest = rowsBesideRating(ctx.callbackQuery.message?.reply_markup);
    await bestEffort(ctx.logger, "taking the comment button off", () =>
      ctx.editMessageReplyMarkup(rest.length ? { reply_markup: { inline_keyboard: rest } } : undefined),
    );
    await ctx.reply(ctx.t("notifications.rating.askComment"));
    return ctx.answerCallbackQuery();
  }

  const result = await rateOrder(ctx.services, { orderId: data.orderId, telegramUserId, score: data.action.score });
  switch (result.type) {
    case "rated": {
      const lines = [ctx.t("notifications.rating.thanks", { score: result.score })];
      if (result.low) lines.push(ctx.t("notifications.rating.low", { shopName: ctx.shop.name }));
      // The stars are replaced by the answer; the comment button (and "Return items") stay under it.
      await bestEffort(ctx.logger, "replacing the rating buttons", () =>
        ctx.editMessageReplyMarkup({
          reply_markup: {
            inline_keyboard: [
              [
                {
                  text: ctx.t("notifications.rating.addComment"),
                  callback_data: packRatingCallback({ orderId: data.orderId, action: { type: "comment" } }),
                },
              ],
              ...rowsBesideRating(ctx.callbackQuery.message?.reply_markup),
            ],
          },
        }),
      );
      await ctx.reply(lines.join("\n"));
      return ctx.answerCallbackQuery();
    }
    case "already_rated":
      return ctx.answerCallbackQuery({ text: ctx.t("notifications.rating.already") });
    case "not_delivered":
      return ctx.answerCallbackQuery({ text: ctx.t("notifications.rating.notYet") });
    case "not_yours":
    case "not_found":
      return ctx.answerCallbackQuery({
        text: ctx.t(result.type === "not_yours" ? "order.rejections.notYours" : "order.rejections.notFound"),
        show_alert: true,
      });
  }
});

ratingFlow.chatType("private").on("message:text", async (ctx, next) => {
  if (ctx.message.text.startsWith("/")) return next();
  const result = await addRatingComment(ctx.services, { telegramUserId: BigInt(ctx.from.id), text: ctx.message.text, chatWith: "bot" });
  if (result.type === "none") return next();
  await ctx.reply(ctx.t("notifications.rating.commentSaved", { shopName: ctx.shop.name }));
});
