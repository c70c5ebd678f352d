import type { BotCommand, Chat, MenuButton, Message, ReplyKeyboardMarkup, User } from "@grammyjs/types";
import type { UpdateQueue } from "./update-queue.js";
import type { WebhookSender } from "./webhook-sender.js";

/** Everything the stand-in remembers about one bot account. */
export interface BotRecord {
  token: string;
  user: User;
  canJoinGroups: boolean;
  canReadAllGroupMessages: boolean;
  supportsInlineQueries: boolean;
  /** Keyed by scope JSON and language code, as Telegram keeps one list per pair. */
  commands: Map<string, BotCommand[]>;
  /** Keyed by chat id, or "default". */
  menuButtons: Map<string, MenuButton>;
  /** Keyed by `${field}:${language_code}` for the name, description and short description. */
  texts: Map<string, string>;
  updates: UpdateQueue;
  webhook: WebhookSender | undefined;
  callbackQueries: Map<string, CallbackQueryRecord>;
}

export interface CallbackQueryRecord {
  id: string;
  fromUserId: number;
  createdAt: number;
  answer: CallbackAnswer | undefined;
  onAnswer: Array<(answer: CallbackAnswer) => void>;
}

export interface CallbackAnswer {
  text?: string;
  showAlert: boolean;
  url?: string;
}

export interface UserRecord {
  user: User;
  phone: string | undefined;
  /** Bots (by id) this user has written to, which may therefore write back. */
  startedBots: Set<number>;
  blockedBots: Set<number>;
}

export type MemberStatus = "creator" | "administrator" | "member";

export interface TopicRecord {
  threadId: number;
  name: string;
  iconColor: number;
  iconCustomEmojiId: string | undefined;
  closed: boolean;
  deleted: boolean;
}

export interface StoredMessage {
  message: Message;
  /** Who wrote it: bots are never told about other bots' messages or their own. */
  sender: { kind: "bot"; botId: number } | { kind: "user"; userId: number } | { kind: "service" };
  deleted: boolean;
}

/**
 * One conversation. A private chat exists per (bot, user) pair although its id is the user id,
 * because each bot has its own message history with the same person.
 */
export interface ChatRecord {
  key: string;
  chat: Chat;
  title: string | undefined;
  username: string | undefined;
  privateBotId: number | undefined;
  privateUserId: number | undefined;
  members: Map<number, MemberStatus>;
  bots: Map<number, "administrator" | "member">;
  messages: StoredMessage[];
  byId: Map<number, StoredMessage>;
  nextMessageId: number;
  topics: Map<number, TopicRecord>;
  /** The reply keyboard each user currently sees in this chat (private chats: just the user). */
  replyKeyboards: Map<number, ReplyKeyboardMarkup>;
  /** Pinned message ids, oldest first. */
  pinnedMessageIds: number[];
}

export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  kind: "photo" | "document";
  bytes: Uint8Array;
  mimeType: string | undefined;
  fileName: string | undefined;
  width: number | undefined;
  height: number | undefined;
}
