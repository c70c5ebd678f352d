import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";

/** /start: the customer opens the chat with the shop's bot. */
export const startFlow = new Composer<BotContext>();

startFlow.chatType("private").command("start", async (ctx) => {
  const assistantName = ctx.shop.assistantName ?? ctx.t("defaults.assistantName");
  const customerName = ctx.from.first_name;
  await ctx.reply(ctx.t("start.welcome", { customerName, shopName: ctx.shop.name, assistantName }), {
    parse_mode: "HTML",
  });
});
