import type { ForumTopic, Message } from "@grammyjs/types";
import { BotApiError } from "../bot-api-error.js";
import { botIsAdmin, chatForBot, isForum } from "../chat-access.js";
import type { ChatRecord, TopicRecord } from "../records.js";
import { paramsOf, type MethodCall, type MethodTable } from "./method-call.js";

/** The icon colours Telegram allows for new topics; the first is its default. */
export const TOPIC_ICON_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f];

/** Forum topics of supergroups: create, rename, close, reopen, delete. */
export const forumTopicMethods: MethodTable = {
  createForumTopic(call) {
    const p = paramsOf(call, "createForumTopic");
    const chat = forumChat(call, p.chat_id);
    const name = p.name.trim();
    if (name === "" || name.length > 128) throw BotApiError.badRequest("TOPIC_TITLE_EMPTY");
    const iconColor = p.icon_color ?? TOPIC_ICON_COLORS[0] ?? 0x6fb9f0;
    if (!TOPIC_ICON_COLORS.includes(iconColor)) throw BotApiError.badRequest("TOPIC_ICON_COLOR_INVALID");
    const topic = createTopic(call, chat, name, iconColor, p.icon_custom_emoji_id);
    return forumTopicObject(topic);
  },

  editForumTopic(call) {
    const p = paramsOf(call, "editForumTopic");
    const chat = forumChat(call, p.chat_id);
    const topic = existingTopic(chat, p.message_thread_id);
    // Telegram keeps the current name when none is given or it is empty; an edit that changes nothing is refused.
    const name = p.name === undefined || p.name === "" ? undefined : p.name;
    if (name !== undefined && (name.trim() === "" || name.length > 128)) throw BotApiError.badRequest("TOPIC_TITLE_EMPTY");
    const renamed = name !== undefined && name !== topic.name;
    if (!renamed && p.icon_custom_emoji_id === undefined) throw BotApiError.badRequest("TOPIC_NOT_MODIFIED");
    const edited: Record<string, unknown> = {};
    if (renamed) {
      topic.name = name;
      edited.name = name;
    }
    if (p.icon_custom_emoji_id !== undefined) {
      topic.iconCustomEmojiId = p.icon_custom_emoji_id === "" ? undefined : p.icon_custom_emoji_id;
      edited.icon_custom_emoji_id = p.icon_custom_emoji_id;
    }
    serviceMessage(call, chat, topic, { forum_topic_edited: edited });
    return true;
  },

  closeForumTopic(call) {
    const p = paramsOf(call, "closeForumTopic");
    const chat = forumChat(call, p.chat_id);
    const topic = existingTopic(chat, p.message_thread_id);
    if (topic.closed) throw BotApiError.badRequest("TOPIC_NOT_MODIFIED");
    topic.closed = true;
    serviceMessage(call, chat, topic, { forum_topic_closed: {} });
    return true;
  },

  reopenForumTopic(call) {
    const p = paramsOf(call, "reopenForumTopic");
    const chat = forumChat(call, p.chat_id);
    const topic = existingTopic(chat, p.message_thread_id);
    if (!topic.closed) throw BotApiError.badRequest("TOPIC_NOT_MODIFIED");
    topic.closed = false;
    serviceMessage(call, chat, topic, { forum_topic_reopened: {} });
    return true;
  },

  deleteForumTopic(call) {
    const p = paramsOf(call, "deleteForumTopic");
    const chat = forumChat(call, p.chat_id);
    const topic = existingTopic(chat, p.message_thread_id);
    deleteTopic(call.world, chat, topic);
    return true;
  },

  unpinAllForumTopicMessages(call) {
    const p = paramsOf(call, "unpinAllForumTopicMessages");
    const chat = forumChat(call, p.chat_id);
    existingTopic(chat, p.message_thread_id);
    return true;
  },
};

/** Removes a topic with all its messages, as when a manager deletes it in the Telegram app. */
export function deleteTopic(world: MethodCall["world"], chat: ChatRecord, topic: TopicRecord): void {
  topic.deleted = true;
  for (const stored of chat.messages) {
    if (!stored.deleted && stored.message.message_thread_id === topic.threadId) world.deleteMessage(chat, stored);
  }
}

export function forumTopicObject(topic: TopicRecord): ForumTopic {
  const result: ForumTopic = { message_thread_id: topic.threadId, name: topic.name, icon_color: topic.iconColor };
  if (topic.iconCustomEmojiId !== undefined) result.icon_custom_emoji_id = topic.iconCustomEmojiId;
  return result;
}

function forumChat(call: MethodCall, chatId: number | string): ChatRecord {
  const chat = chatForBot(call.world, call.bot, chatId, "write");
  if (!isForum(chat)) throw BotApiError.badRequest("the chat is not a forum");
  if (!botIsAdmin(call.bot, chat)) throw BotApiError.badRequest("not enough rights to manage topics");
  return chat;
}

function existingTopic(chat: ChatRecord, threadId: number): TopicRecord {
  const topic = chat.topics.get(threadId);
  if (!topic || topic.deleted) throw BotApiError.badRequest("TOPIC_ID_INVALID");
  return topic;
}

/** A topic's thread id is the id of its "topic created" service message, as in Telegram. */
function createTopic(
  call: MethodCall,
  chat: ChatRecord,
  name: string,
  iconColor: number,
  iconCustomEmojiId: string | undefined,
): TopicRecord {
  const threadId = chat.nextMessageId;
  const topic: TopicRecord = { threadId, name, iconColor, iconCustomEmojiId, closed: false, deleted: false };
  chat.topics.set(threadId, topic);
  const created: Record<string, unknown> = { name, icon_color: iconColor };
  if (iconCustomEmojiId !== undefined) created.icon_custom_emoji_id = iconCustomEmojiId;
  call.world.appendMessage(
    chat,
    { message_thread_id: threadId, from: call.bot.user, forum_topic_created: created, is_topic_message: true } as unknown as Omit<
      Message,
      "message_id" | "date" | "chat"
    >,
    { kind: "service" },
  );
  return topic;
}

function serviceMessage(call: MethodCall, chat: ChatRecord, topic: TopicRecord, content: Record<string, unknown>): void {
  const starter = chat.byId.get(topic.threadId);
  const replyTo = starter && !starter.deleted ? starter.message : undefined;
  call.world.appendMessage(
    chat,
    {
      message_thread_id: topic.threadId,
      from: call.bot.user,
      ...content,
      is_topic_message: true,
      ...(replyTo ? { reply_to_message: replyTo } : {}),
    } as Omit<Message, "message_id" | "date" | "chat">,
    { kind: "service" },
  );
}
