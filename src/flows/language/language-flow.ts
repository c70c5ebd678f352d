import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { readOpenOrdersInChat } from "../../services/order-read-model.js";
import { chooseLanguage } from "../../services/customer-language.js";
import { updateOrderMessage } from "../confirmation/order-dialog-presenter.js";
import { languageChoicePattern, languageRows, parseLanguageChoice } from "./language-callback.js";
import { bestEffort } from "../../telegram/telegram-error.js";

/**
 * The customer chooses the language the bot writes in: /language, or the buttons under the first
 * message of an order. The choice is kept for the customer, and the order's live message is shown
 * again in the new language. Registered before the handoff relay, so it works with a person too.
 */
export const languageFlow = new Composer<BotContext>();
const privateChats = languageFlow.chatType("private");

privateChats.command("language", async (ctx) => {
  const offered = ctx.shop.languages;
  if (offered.length < 2) {
    await ctx.reply(ctx.t("language.onlyOne"));
    return;
  }
  await ctx.reply(ctx.t("language.prompt"), { reply_markup: { inline_keyboard: languageRows(offered, ctx.language) } });
});

privateChats.callbackQuery(languageChoicePattern, async (ctx) => {
  let toast: string | undefined;
  try {
    const code = parseLanguageChoice(ctx.callbackQuery.data);
    const chat = {
      id: BigInt(ctx.chat.id),
      type: "private",
      username: ctx.from.username ?? null,
      languageCode: ctx.from.language_code ?? null,
    };
    const result = code ? await chooseLanguage(ctx.services, chat, code) : { type: "not_offered" as const };
    if (result.type === "not_offered") {
      toast = ctx.t("language.notOffered");
      return;
    }
    ctx.language = result.language;
    ctx.t = ctx.translator.forLanguage(result.language);
    const chosen = ctx.t("language.chosen");
    toast = chosen;
    const tapped = ctx.callbackQuery.message?.message_id;
    const open = await readOpenOrdersInChat(ctx.services, chat.id);
    const tappedOrder = open.find((record) => record.dialog.messageId === tapped);
    if (tappedOrder) {
      // The buttons under an order's first message: show that message again, greeting and all.
      await updateOrderMessage(ctx.api, ctx, tappedOrder, tapped, undefined, "greeting");
      return;
    }
    // The /language question: it is answered, and each order's live message follows the choice.
    await bestEffort(ctx.logger, "answering the language question", () => ctx.editMessageText(chosen));
    for (const record of open) {
      if (record.dialog.messageId !== null) await updateOrderMessage(ctx.api, ctx, record, record.dialog.messageId);
    }
  } finally {
    await ctx.answerCallbackQuery(toast ? { text: toast } : {});
  }
});
