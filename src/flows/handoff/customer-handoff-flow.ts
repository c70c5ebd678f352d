import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { relayCustomerMessage, relayEdit } from "../../services/handoff/relay-messages.js";
import { relaySource } from "./relay-source.js";

/**
 * While a person has the customer's chat (waiting for one, or taken), whatever the customer
 * writes goes to their topic in the managers' group and the bot stays silent: no fallback, no
 * form, no /start. Taps on the dialog's buttons are not touched (the customer may still confirm
 * or change the order themselves). When the bot has the chat, everything passes on.
 */
export const customerHandoffFlow = new Composer<BotContext>();
const privateChats = customerHandoffFlow.chatType("private");

privateChats.on("message", async (ctx, next) => {
  const result = await relayCustomerMessage(ctx.services, relaySource(ctx.message));
  if (result.type === "bot_has_chat") await next();
});

privateChats.on("edited_message", async (ctx, next) => {
  const edited = ctx.editedMessage;
  const result = await relayEdit(ctx.services, { source: relaySource(edited), editDate: edited.edit_date ?? 0 });
  if (result === "not_relayed") await next();
});
