import type { ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "@grammyjs/types";
import { BotApiError } from "./bot-api-error.js";

export type AnyReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

const INLINE_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
] as const;

/** Applies the rules Telegram checks beyond the types: one action per button, callback_data size, URLs. */
export function checkReplyMarkup(markup: AnyReplyMarkup | undefined): void {
  if (!markup) return;
  if (isInlineKeyboard(markup)) {
    // Telegram takes at most 100 inline buttons (8 a row) and answers this beyond them.
    if (markup.inline_keyboard.flat().length > 100) throw BotApiError.badRequest("reply markup is too long");
    for (const row of markup.inline_keyboard) for (const button of row) checkInlineButton(button);
    return;
  }
  if ("keyboard" in markup) {
    for (const row of markup.keyboard) {
      for (const button of row) {
        const text = typeof button === "string" ? button : button.text;
        if (text.trim() === "") throw BotApiError.badRequest("keyboard button text must be non-empty");
      }
    }
  }
}

export function isInlineKeyboard(markup: AnyReplyMarkup | undefined): markup is InlineKeyboardMarkup {
  return markup !== undefined && "inline_keyboard" in markup;
}

function checkInlineButton(button: InlineKeyboardButton): void {
  const record = button as unknown as Record<string, unknown>;
  const actions = INLINE_ACTIONS.filter((action) => record[action] !== undefined);
  if (actions.length === 0) throw BotApiError.badRequest("text buttons are unallowed in the inline keyboard");
  if (actions.length > 1) throw BotApiError.badRequest("can't parse inline keyboard button: only one action is allowed");
  if (button.text === "") throw BotApiError.badRequest("BUTTON_TEXT_INVALID");
  const data = record.callback_data;
  if (typeof data === "string" && (data === "" || Buffer.byteLength(data) > 64)) {
    throw BotApiError.badRequest("BUTTON_DATA_INVALID");
  }
  const url = record.url;
  if (typeof url === "string" && !/^(https?|tg):\/\/\S+$/i.test(url)) {
    throw BotApiError.badRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
  }
}
