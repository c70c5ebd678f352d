import { BotApiError } from "./bot-api-error.js";
import type { BotRecord, ChatRecord, TopicRecord } from "./records.js";
import type { StandinWorld } from "./world.js";

/**
 * Finds the chat a bot addresses by chat_id, refusing what Telegram refuses: unknown chats,
 * users who never wrote to the bot or blocked it (for writing), groups the bot is not in.
 */
export function chatForBot(world: StandinWorld, bot: BotRecord, chatId: number | string, access: "read" | "write"): ChatRecord {
  if (typeof chatId === "string") {
    const username = chatId.replace(/^@/, "").toLowerCase();
    const group = [...world.chats.values()].find((chat) => chat.privateUserId === undefined && chat.username?.toLowerCase() === username);
    if (!group) throw BotApiError.badRequest("chat not found");
    return checkGroupMembership(bot, group);
  }
  if (chatId > 0) {
    const user = world.users.get(chatId);
    if (!user) throw BotApiError.badRequest("chat not found");
    if (!user.startedBots.has(bot.user.id)) {
      if (access === "read") throw BotApiError.badRequest("chat not found");
      throw BotApiError.forbidden("bot can't initiate conversation with a user");
    }
    if (access === "write" && user.blockedBots.has(bot.user.id)) {
      throw BotApiError.forbidden("bot was blocked by the user");
    }
    return world.privateChat(bot, user);
  }
  const group = world.groupChat(chatId);
  if (!group) throw BotApiError.badRequest("chat not found");
  return checkGroupMembership(bot, group);
}

function checkGroupMembership(bot: BotRecord, chat: ChatRecord): ChatRecord {
  if (!chat.bots.has(bot.user.id)) {
    throw BotApiError.forbidden(`bot is not a member of the ${chat.chat.type === "group" ? "group" : "supergroup"} chat`);
  }
  return chat;
}

/** The forum topic a message_thread_id names; undefined for chats without topics. */
export function topicFor(chat: ChatRecord, threadId: number | undefined): TopicRecord | undefined {
  if (threadId === undefined || !isForum(chat)) return undefined;
  const topic = chat.topics.get(threadId);
  if (!topic || topic.deleted) throw BotApiError.badRequest("message thread not found");
  return topic;
}

export function isForum(chat: ChatRecord): boolean {
  return chat.chat.type === "supergroup" && chat.chat.is_forum === true;
}

export function botIsAdmin(bot: BotRecord, chat: ChatRecord): boolean {
  return chat.privateUserId !== undefined || chat.bots.get(bot.user.id) === "administrator";
}
