import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { markCustomerReachable } from "../../services/mark-customer-reachable.js";

/**
 * A customer the bot could not reach (Telegram answered 403: they blocked it) is back as soon as
 * anything comes from them in the private chat: a message, a tap, or Telegram's word that they
 * unblocked the bot. The mark comes off before any flow handles the update, so whatever answers
 * it, and the managers' topic, see a customer who can be reached. Always passes the update on.
 */
export const reachAgainFlow = new Composer<BotContext>();

reachAgainFlow.chatType("private").use(async (ctx, next) => {
  // The update that says they blocked the bot is not them coming back.
  const blockedNow = ctx.myChatMember?.new_chat_member.status === "kicked";
  if (ctx.from && !ctx.from.is_bot && !blockedNow) await markCustomerReachable(ctx.services, BigInt(ctx.chat.id));
  await next();
});
