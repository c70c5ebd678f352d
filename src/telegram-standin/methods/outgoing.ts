import type { Message, ReplyParameters } from "@grammyjs/types";
import { BotApiError } from "../bot-api-error.js";
import { botIsAdmin, chatForBot, topicFor } from "../chat-access.js";
import type { ChatRecord, StoredMessage, TopicRecord } from "../records.js";
import { checkReplyMarkup, isInlineKeyboard, type AnyReplyMarkup } from "../reply-markup.js";
import type { MethodCall } from "./method-call.js";

export interface SendTarget {
  chat_id: number | string;
  message_thread_id?: number;
  reply_markup?: AnyReplyMarkup;
  reply_parameters?: ReplyParameters;
  protect_content?: boolean;
  allow_paid_broadcast?: boolean;
}

export type MessageContent = Record<string, unknown>;

/**
 * The path every bot message takes: find the chat (and topic), check content and markup,
 * respect flood limits, store the message with the next id, and show reply keyboards.
 * `content` runs after the chat checks, as Telegram reports a wrong chat before a wrong text.
 */
export function sendBotMessage(call: MethodCall, target: SendTarget, content: () => MessageContent): Message {
  const { world, bot } = call;
  const chat = chatForBot(world, bot, target.chat_id, "write");
  const topic = topicFor(chat, target.message_thread_id);
  if (topic?.closed && !botIsAdmin(bot, chat)) throw BotApiError.badRequest("TOPIC_CLOSED");
  const body = content();
  checkReplyMarkup(target.reply_markup);
  const replyTo = repliedMessage(chat, target.reply_parameters, topic);
  checkFloodLimits(call, chat, target.allow_paid_broadcast === true);

  const fields: Record<string, unknown> = {};
  if (topic) {
    fields.message_thread_id = topic.threadId;
    fields.is_topic_message = true;
  }
  fields.from = bot.user;
  Object.assign(fields, body);
  if (replyTo) fields.reply_to_message = replyTo;
  if (isInlineKeyboard(target.reply_markup)) fields.reply_markup = target.reply_markup;
  if (target.protect_content) fields.has_protected_content = true;
  const stored = world.appendMessage(chat, fields, {
    kind: "bot",
    botId: bot.user.id,
  });
  showReplyKeyboard(chat, target.reply_markup);
  return stored.message;
}

export function checkFloodLimits(call: MethodCall, chat: ChatRecord, paidBroadcast: boolean): void {
  const limiter = call.world.options.flood;
  if (!limiter) return;
  const decision = limiter.check(call.bot.user.id, chat.chat.id, chat.privateUserId === undefined, paidBroadcast);
  if (!decision.ok) throw BotApiError.tooManyRequests(decision.retryAfter);
}

/** A replied-to message as Telegram embeds it: without its own reply_to_message. */
export function asReplyTarget(stored: StoredMessage): Message {
  const { reply_to_message: _dropped, ...rest } = stored.message as Message & { reply_to_message?: unknown };
  return rest;
}

function repliedMessage(chat: ChatRecord, parameters: ReplyParameters | undefined, topic: TopicRecord | undefined): Message | undefined {
  if (parameters) {
    if (parameters.chat_id !== undefined && String(parameters.chat_id) !== String(chat.chat.id)) {
      throw BotApiError.badRequest("replies to messages in other chats are not supported by the local stand-in");
    }
    const stored = chat.byId.get(parameters.message_id ?? -1);
    if (stored && !stored.deleted) return asReplyTarget(stored);
    if (parameters.allow_sending_without_reply) return topic ? topicStarter(chat, topic) : undefined;
    throw BotApiError.badRequest("message to be replied not found");
  }
  return topic ? topicStarter(chat, topic) : undefined;
}

/** Messages in a topic reply to the topic's creation message unless they reply to something else. */
function topicStarter(chat: ChatRecord, topic: TopicRecord): Message | undefined {
  const stored = chat.byId.get(topic.threadId);
  return stored ? asReplyTarget(stored) : undefined;
}

function showReplyKeyboard(chat: ChatRecord, markup: AnyReplyMarkup | undefined): void {
  if (!markup || isInlineKeyboard(markup)) return;
  for (const userId of chat.members.keys()) {
    if ("keyboard" in markup) chat.replyKeyboards.set(userId, markup);
    else if ("remove_keyboard" in markup) chat.replyKeyboards.delete(userId);
  }
}
