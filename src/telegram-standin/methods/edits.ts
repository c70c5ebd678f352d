import type { InlineKeyboardMarkup, Message } from "@grammyjs/types";
import { BotApiError } from "../bot-api-error.js";
import { chatForBot } from "../chat-access.js";
import { formatBotText } from "../message-text.js";
import type { ChatRecord, StoredMessage } from "../records.js";
import { checkReplyMarkup } from "../reply-markup.js";
import { paramsOf, type MethodCall, type MethodTable } from "./method-call.js";

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of " +
  "the message";

interface EditTarget {
  chat_id?: number | string;
  message_id?: number;
  inline_message_id?: string;
}

/** Editing the bot's own messages, with Telegram's refusal of edits that change nothing. */
export const editMethods: MethodTable = {
  editMessageText(call) {
    const p = paramsOf(call, "editMessageText");
    const { chat, stored } = editable(call, p);
    const message = stored.message;
    const currentText = message.text;
    if (currentText === undefined) throw BotApiError.badRequest("there is no text in the message to edit");
    if (p.text === undefined) throw BotApiError.badRequest("message text is empty");
    const formatted = formatBotText({ text: p.text, parseMode: p.parse_mode, entities: p.entities }, "text", (id) =>
      call.world.findUser(id),
    );
    checkReplyMarkup(p.reply_markup);
    const unchanged =
      formatted.text === currentText && same(formatted.entities, message.entities ?? []) && same(p.reply_markup, message.reply_markup);
    if (unchanged) throw BotApiError.badRequest(NOT_MODIFIED);
    return applyEdit(call, chat, stored, {
      text: formatted.text,
      entities: formatted.entities.length > 0 ? formatted.entities : undefined,
      reply_markup: p.reply_markup,
    });
  },

  editMessageCaption(call) {
    const p = paramsOf(call, "editMessageCaption");
    const { chat, stored } = editable(call, p);
    const message = stored.message;
    if (message.photo === undefined && message.document === undefined) {
      throw BotApiError.badRequest("there is no caption in the message to edit");
    }
    const formatted =
      p.caption === undefined
        ? { text: "", entities: [] }
        : formatBotText({ text: p.caption, parseMode: p.parse_mode, entities: p.caption_entities }, "caption", (id) =>
            call.world.findUser(id),
          );
    checkReplyMarkup(p.reply_markup);
    const unchanged =
      formatted.text === (message.caption ?? "") &&
      same(formatted.entities, message.caption_entities ?? []) &&
      same(p.reply_markup, message.reply_markup);
    if (unchanged) throw BotApiError.badRequest(NOT_MODIFIED);
    return applyEdit(call, chat, stored, {
      caption: formatted.text === "" ? undefined : formatted.text,
      caption_entities: formatted.entities.length > 0 ? formatted.entities : undefined,
      reply_markup: p.reply_markup,
    });
  },

  editMessageReplyMarkup(call) {
    const p = paramsOf(call, "editMessageReplyMarkup");
    const { chat, stored } = editable(call, p);
    checkReplyMarkup(p.reply_markup);
    if (same(p.reply_markup, stored.message.reply_markup)) throw BotApiError.badRequest(NOT_MODIFIED);
    return applyEdit(call, chat, stored, { reply_markup: p.reply_markup });
  },
};

function editable(call: MethodCall, target: EditTarget): { chat: ChatRecord; stored: StoredMessage } {
  if (target.inline_message_id !== undefined) {
    throw BotApiError.badRequest("inline messages are not supported by the local stand-in");
  }
  if (target.chat_id === undefined) throw BotApiError.badRequest("chat_id is empty");
  if (target.message_id === undefined) throw BotApiError.badRequest("message identifier is not specified");
  const chat = chatForBot(call.world, call.bot, target.chat_id, "write");
  const stored = chat.byId.get(target.message_id);
  if (!stored || stored.deleted) throw BotApiError.badRequest("message to edit not found");
  if (stored.sender.kind !== "bot" || stored.sender.botId !== call.bot.user.id) {
    throw BotApiError.badRequest("message can't be edited");
  }
  return { chat, stored };
}

function applyEdit(
  call: MethodCall,
  chat: ChatRecord,
  stored: StoredMessage,
  patch: Partial<Record<"text" | "entities" | "caption" | "caption_entities", unknown>> & {
    reply_markup?: unknown;
  },
): Message {
  const message = { ...stored.message } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete message[key];
    else message[key] = value;
  }
  // Only inline keyboards stay attached to a message; no markup in an edit removes the keyboard.
  const markup = patch.reply_markup as InlineKeyboardMarkup | undefined;
  if (markup === undefined) delete message.reply_markup;
  message.edit_date = call.world.nowSeconds();
  stored.message = message as unknown as Message;
  call.world.announceEdit(chat, stored);
  return stored.message;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

/** Key order and empty lists must not make equal content look different. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(normalize);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([key, inner]) => [key, normalize(inner)]));
  }
  return value;
}
