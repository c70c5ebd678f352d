import type { Message } from "@grammyjs/types";
import { BotApiError } from "../bot-api-error.js";
import { botIsAdmin, chatForBot } from "../chat-access.js";
import { documentFrom, photoFrom } from "../media-files.js";
import { formatBotText } from "../message-text.js";
import type { ChatRecord, StoredMessage } from "../records.js";
import { paramsOf, type MethodCall, type MethodTable } from "./method-call.js";
import { sendBotMessage, type MessageContent } from "./outgoing.js";

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

/** 48 hours: Telegram lets nobody delete a message for everyone after that. */
const DELETE_WINDOW_SECONDS = 48 * 60 * 60;

/** Sending, copying, forwarding and deleting messages. */
export const messageMethods: MethodTable = {
  sendMessage(call) {
    const p = paramsOf(call, "sendMessage");
    return sendBotMessage(call, p, () => {
      const formatted = formatBotText({ text: p.text, parseMode: p.parse_mode, entities: p.entities }, "text", findUser(call));
      return withEntities({ text: formatted.text }, "entities", formatted.entities);
    });
  },

  async sendPhoto(call) {
    const p = paramsOf(call, "sendPhoto");
    chatForBot(call.world, call.bot, p.chat_id, "write");
    const photo = await photoFrom(call.world, p.photo);
    return sendBotMessage(call, p, () => ({
      photo,
      ...caption(call, p.caption, p.parse_mode, p.caption_entities),
      ...(p.show_caption_above_media ? { show_caption_above_media: true } : {}),
      ...(p.has_spoiler ? { has_media_spoiler: true } : {}),
    }));
  },

  async sendDocument(call) {
    const p = paramsOf(call, "sendDocument");
    chatForBot(call.world, call.bot, p.chat_id, "write");
    const document = await documentFrom(call.world, p.document);
    return sendBotMessage(call, p, () => ({
      document,
      ...caption(call, p.caption, p.parse_mode, p.caption_entities),
    }));
  },

  sendLocation(call) {
    const p = paramsOf(call, "sendLocation");
    if (Math.abs(p.latitude) > 90 || Math.abs(p.longitude) > 180) throw BotApiError.badRequest("wrong latitude or longitude");
    const location: Record<string, unknown> = { latitude: p.latitude, longitude: p.longitude };
    if (p.horizontal_accuracy !== undefined) location.horizontal_accuracy = p.horizontal_accuracy;
    if (p.live_period !== undefined) location.live_period = p.live_period;
    return sendBotMessage(call, p, () => ({ location }));
  },

  sendContact(call) {
    const p = paramsOf(call, "sendContact");
    const contact: Record<string, unknown> = { phone_number: p.phone_number, first_name: p.first_name };
    if (p.last_name !== undefined) contact.last_name = p.last_name;
    if (p.vcard !== undefined) contact.vcard = p.vcard;
    return sendBotMessage(call, p, () => ({ contact }));
  },

  copyMessage(call) {
    const p = paramsOf(call, "copyMessage");
    const source = sourceMessage(call, p.from_chat_id, p.message_id, "copy");
    const sent = sendBotMessage(call, p, () => {
      const content = copiedContent(source.message);
      if (p.caption !== undefined) {
        if (!("photo" in content) && !("document" in content)) throw BotApiError.badRequest("message has no caption to replace");
        delete content.caption;
        delete content.caption_entities;
        Object.assign(content, caption(call, p.caption, p.parse_mode, p.caption_entities));
      }
      return content;
    });
    return { message_id: sent.message_id };
  },

  forwardMessage(call) {
    const p = paramsOf(call, "forwardMessage");
    const source = sourceMessage(call, p.from_chat_id, p.message_id, "forward");
    if (source.message.has_protected_content) throw BotApiError.badRequest("message can't be forwarded");
    return sendBotMessage(call, p, () => ({
      forward_origin: forwardOrigin(source),
      ...copiedContent(source.message),
    }));
  },

  deleteMessage(call) {
    const p = paramsOf(call, "deleteMessage");
    const chat = chatForBot(call.world, call.bot, p.chat_id, "read");
    deleteOne(call, chat, p.message_id);
    return true;
  },

  deleteMessages(call) {
    const p = paramsOf(call, "deleteMessages");
    if (p.message_ids.length < 1 || p.message_ids.length > 100) throw BotApiError.badRequest("message_ids must contain 1-100 identifiers");
    const chat = chatForBot(call.world, call.bot, p.chat_id, "read");
    let deleted = 0;
    for (const id of p.message_ids) {
      try {
        deleteOne(call, chat, id);
        deleted++;
      } catch {
        // Telegram deletes what it can and skips the rest.
      }
    }
    if (deleted === 0) throw BotApiError.badRequest("message to delete not found");
    return true;
  },

  sendChatAction(call) {
    const p = paramsOf(call, "sendChatAction");
    chatForBot(call.world, call.bot, p.chat_id, "write");
    if (!CHAT_ACTIONS.has(p.action)) throw BotApiError.badRequest("wrong parameter action in request");
    return true;
  },
};

function findUser(call: MethodCall) {
  return (id: number) => call.world.findUser(id);
}

function withEntities(content: MessageContent, key: string, entities: unknown[]): MessageContent {
  if (entities.length > 0) content[key] = entities;
  return content;
}

function caption(call: MethodCall, text: string | undefined, parseMode: string | undefined, entities: Message["entities"]): MessageContent {
  if (text === undefined) return {};
  const formatted = formatBotText({ text, parseMode, entities }, "caption", findUser(call));
  if (formatted.text === "") return {};
  return withEntities({ caption: formatted.text }, "caption_entities", formatted.entities);
}

function sourceMessage(call: MethodCall, chatId: number | string, messageId: number, verb: "copy" | "forward"): StoredMessage {
  const chat = chatForBot(call.world, call.bot, chatId, "read");
  const stored = chat.byId.get(messageId);
  if (!stored || stored.deleted) throw BotApiError.badRequest(`message to ${verb} not found`);
  if (stored.sender.kind === "service") throw BotApiError.badRequest(`message can't be ${verb === "copy" ? "copied" : "forwarded"}`);
  return stored;
}

const COPIED_FIELDS = [
  "text",
  "entities",
  "photo",
  "document",
  "caption",
  "caption_entities",
  "contact",
  "location",
  "show_caption_above_media",
];

function copiedContent(message: Message): MessageContent {
  const source = message as unknown as Record<string, unknown>;
  const content: MessageContent = {};
  for (const field of COPIED_FIELDS) if (source[field] !== undefined) content[field] = source[field];
  return content;
}

function forwardOrigin(stored: StoredMessage): Record<string, unknown> {
  const from = stored.message.from;
  if (from) return { type: "user", date: stored.message.date, sender_user: from };
  return { type: "hidden_user", date: stored.message.date, sender_user_name: "Unknown" };
}

function deleteOne(call: MethodCall, chat: ChatRecord, messageId: number): void {
  const stored = chat.byId.get(messageId);
  if (!stored || stored.deleted) throw BotApiError.badRequest("message to delete not found");
  const own = stored.sender.kind === "bot" && stored.sender.botId === call.bot.user.id;
  if (!own && !botIsAdmin(call.bot, chat)) throw BotApiError.badRequest("message can't be deleted");
  if (call.world.nowSeconds() - stored.message.date > DELETE_WINDOW_SECONDS) {
    throw BotApiError.badRequest("message can't be deleted for everyone");
  }
  call.world.deleteMessage(chat, stored);
}
