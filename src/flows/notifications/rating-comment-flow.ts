import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { addRatingComment } from "../../services/rate-order.js";

/**
 * The comment a rating waits for ("Add a comment", or a low score), when the customer writes it
 * while a person has the chat (a low score sends it to one): it becomes the rating's comment, and
 * the shop gets `order.rated` with it, and the text goes on to the relay (registered just before
 * it), so the manager reads it in the topic too and the bot says nothing. While the bot has the
 * chat the rating flow takes the comment itself, and answers.
 */
export const ratingCommentToPersonFlow = new Composer<BotContext>();

ratingCommentToPersonFlow.chatType("private").on("message:text", async (ctx, next) => {
  if (!ctx.message.text.startsWith("/"))
    await addRatingComment(ctx.services, { telegramUserId: BigInt(ctx.from.id), text: ctx.message.text, chatWith: "people" });
  await next();
});
