import { createHash, randomBytes } from "node:crypto";
import type { Chat, Message, PhotoSize, Update, User } from "@grammyjs/types";
import { loadBotApiSpec, type BotApiSpec } from "./api-spec.js";
import { FaultInjector } from "./faults.js";
import type { FloodLimiter } from "./flood-limits.js";
import type { BotRecord, ChatRecord, MemberStatus, StoredFile, StoredMessage, UserRecord } from "./records.js";
import { StandinEvents, type MessageSender } from "./standin-events.js";
import { UpdateQueue, type UpdateBody } from "./update-queue.js";

export interface BotOptions {
  token: string;
  username: string;
  firstName: string;
  canJoinGroups?: boolean;
  canReadAllGroupMessages?: boolean;
}

export interface UserOptions {
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
  /** The phone number the user shares with shareContact(). */
  phone?: string;
  isPremium?: boolean;
}

export interface GroupOptions {
  title: string;
  username?: string;
  members: UserRecord[];
  admins?: UserRecord[];
  /** Bots in the group; every bot known so far when omitted. */
  bots?: BotRecord[];
  /** Whether the bots are administrators (able to manage topics, delete messages); true when omitted. */
  botsAreAdmins?: boolean;
}

export interface WorldOptions {
  now: () => Date;
  flood: FloodLimiter | undefined;
  webhookRetryDelaysMs: number[];
}

/**
 * All state of the stand-in, in memory: bots, users, chats with their messages and topics,
 * uploaded files. Every change to a chat and every update is announced on `events`.
 */
export class StandinWorld {
  readonly spec: BotApiSpec = loadBotApiSpec();
  readonly events = new StandinEvents();
  readonly faults = new FaultInjector();
  readonly bots = new Map<string, BotRecord>();
  readonly botsById = new Map<number, BotRecord>();
  readonly users = new Map<number, UserRecord>();
  readonly chats = new Map<string, ChatRecord>();
  readonly files = new Map<string, StoredFile>();
  /** All sizes of a photo by the file_id of any of them, so a photo re-sent by file_id keeps its sizes. */
  readonly photoSets = new Map<string, PhotoSize[]>();
  /** How many 429 answers went out, flood limits and injected faults together. */
  tooManyRequestsSent = 0;
  /** Runs a Bot API call that a webhook answered with; set by the server, which owns dispatching. */
  webhookReplyHandler: ((bot: BotRecord, call: Record<string, unknown>) => void) | undefined;
  private nextUserId = 100_000_001;
  private nextSupergroupId = 1_000_000_001;
  private nextGroupId = 500_000_001;
  private nextBotId = 7_000_000_001;
  private nextFileNumber = 1;
  private nextCallbackNumber = 1;

  constructor(readonly options: WorldOptions) {}

  nowSeconds(): number {
    return Math.floor(this.options.now().getTime() / 1000);
  }

  addBot(options: BotOptions): BotRecord {
    if (this.bots.has(options.token)) throw new Error(`A bot with token ${options.token} already exists`);
    // Telegram tokens start with the bot's id; keep that relation when the token follows the format.
    const prefix = /^(\d+):/.exec(options.token)?.[1];
    const id = prefix !== undefined ? Number(prefix) : this.nextBotId++;
    const bot: BotRecord = {
      token: options.token,
      user: { id, is_bot: true, first_name: options.firstName, username: options.username },
      canJoinGroups: options.canJoinGroups ?? true,
      canReadAllGroupMessages: options.canReadAllGroupMessages ?? false,
      supportsInlineQueries: false,
      commands: new Map(),
      menuButtons: new Map(),
      texts: new Map(),
      updates: new UpdateQueue(),
      webhook: undefined,
      callbackQueries: new Map(),
    };
    this.bots.set(bot.token, bot);
    this.botsById.set(id, bot);
    return bot;
  }

  addUser(options: UserOptions): UserRecord {
    const id = this.nextUserId++;
    const user: User = { id, is_bot: false, first_name: options.firstName };
    if (options.lastName !== undefined) user.last_name = options.lastName;
    if (options.username !== undefined) user.username = options.username;
    if (options.languageCode !== undefined) user.language_code = options.languageCode;
    if (options.isPremium) user.is_premium = true;
    const record: UserRecord = {
      user,
      phone: options.phone,
      startedBots: new Set(),
      blockedBots: new Set(),
    };
    this.users.set(id, record);
    return record;
  }

  addGroup(options: GroupOptions, kind: "forum" | "supergroup" | "group"): ChatRecord {
    const id = kind === "group" ? -this.nextGroupId++ : -Number(`100${this.nextSupergroupId++}`);
    const chat: Chat =
      kind === "group"
        ? { id, type: "group", title: options.title }
        : { id, type: "supergroup", title: options.title, ...(kind === "forum" ? { is_forum: true } : {}) };
    if (options.username !== undefined && kind !== "group") Object.assign(chat, { username: options.username });
    const members = new Map<number, MemberStatus>();
    // The first admin owns the group, as someone has to have created it.
    for (const [index, admin] of (options.admins ?? []).entries()) {
      members.set(admin.user.id, index === 0 ? "creator" : "administrator");
    }
    for (const member of options.members) if (!members.has(member.user.id)) members.set(member.user.id, "member");
    const bots = new Map<number, "administrator" | "member">();
    for (const bot of options.bots ?? [...this.bots.values()]) {
      bots.set(bot.user.id, options.botsAreAdmins === false ? "member" : "administrator");
    }
    const record = this.createChat(`chat:${id}`, chat, { title: options.title, username: options.username, members, bots });
    return record;
  }

  /** The private chat of a bot and a user; created on first contact. */
  privateChat(bot: BotRecord, user: UserRecord): ChatRecord {
    const key = `private:${bot.user.id}:${user.user.id}`;
    const existing = this.chats.get(key);
    if (existing) return existing;
    const chat: Chat = { id: user.user.id, type: "private", first_name: user.user.first_name };
    if (user.user.last_name !== undefined) Object.assign(chat, { last_name: user.user.last_name });
    if (user.user.username !== undefined) Object.assign(chat, { username: user.user.username });
    const record = this.createChat(key, chat, {
      title: undefined,
      username: user.user.username,
      members: new Map([[user.user.id, "member"]]),
      bots: new Map([[bot.user.id, "member"]]),
    });
    record.privateBotId = bot.user.id;
    record.privateUserId = user.user.id;
    return record;
  }

  groupChat(chatId: number): ChatRecord | undefined {
    return this.chats.get(`chat:${chatId}`);
  }

  findUser(id: number): User | undefined {
    return this.users.get(id)?.user ?? this.botsById.get(id)?.user;
  }

  /** Adds a message to a chat with the next message id and the current date, and announces it. */
  appendMessage(chat: ChatRecord, content: Omit<Message, "message_id" | "date" | "chat">, sender: MessageSender): StoredMessage {
    const message = {
      message_id: chat.nextMessageId++,
      ...content,
      chat: chat.chat,
      date: this.nowSeconds(),
    };
    // Field order as Telegram prints it (id, thread, from, chat, date, ...) helps when reading dumps.
    const ordered = orderMessageFields(message);
    const stored: StoredMessage = { message: ordered, sender, deleted: false };
    chat.messages.push(stored);
    chat.byId.set(ordered.message_id, stored);
    this.events.emit("message", { change: "sent", chatKey: chat.key, chat: chat.chat, message: ordered, sender });
    return stored;
  }

  announceEdit(chat: ChatRecord, stored: StoredMessage): void {
    this.events.emit("message", { change: "edited", chatKey: chat.key, chat: chat.chat, message: stored.message, sender: stored.sender });
  }

  deleteMessage(chat: ChatRecord, stored: StoredMessage): void {
    stored.deleted = true;
    this.events.emit("message", { change: "deleted", chatKey: chat.key, chat: chat.chat, message: stored.message, sender: stored.sender });
  }

  /** Queues an update for a bot (unless its allowed_updates filter drops it) and announces it. */
  pushUpdate(bot: BotRecord, body: UpdateBody): Update | undefined {
    const update = bot.updates.push(body);
    if (update) this.events.emit("update", { botId: bot.user.id, update });
    return update;
  }

  storeFile(input: Omit<StoredFile, "fileId" | "fileUniqueId" | "filePath">, extension: string): StoredFile {
    const number = this.nextFileNumber++;
    const folder = input.kind === "photo" ? "photos" : "documents";
    const file: StoredFile = {
      ...input,
      fileId: `${input.kind === "photo" ? "AgACAgIAAxkBAA" : "BQACAgIAAxkBAA"}${randomBytes(24).toString("base64url")}`,
      fileUniqueId: `AQAD${randomBytes(8).toString("base64url")}`,
      filePath: `${folder}/file_${number}.${extension}`,
    };
    this.files.set(file.fileId, file);
    return file;
  }

  newCallbackQueryId(): string {
    return `${Date.now()}${this.nextCallbackNumber++}`.slice(-19);
  }

  /** A stable opaque id per (bot, chat), as Telegram sends in CallbackQuery.chat_instance. */
  chatInstance(bot: BotRecord, chat: ChatRecord): string {
    const digest = createHash("sha256").update(`${bot.user.id}:${chat.key}`).digest();
    return BigInt.asIntN(64, digest.readBigUInt64BE()).toString();
  }

  private createChat(key: string, chat: Chat, init: Pick<ChatRecord, "title" | "username" | "members" | "bots">): ChatRecord {
    const record: ChatRecord = {
      key,
      chat,
      ...init,
      privateBotId: undefined,
      privateUserId: undefined,
      messages: [],
      byId: new Map(),
      nextMessageId: 1,
      topics: new Map(),
      replyKeyboards: new Map(),
      pinnedMessageIds: [],
    };
    this.chats.set(key, record);
    return record;
  }
}

const FIELD_ORDER = ["message_id", "message_thread_id", "from", "sender_chat", "chat", "date"];

function orderMessageFields(message: Message): Message {
  const ordered: Record<string, unknown> = {};
  const source = message as unknown as Record<string, unknown>;
  for (const key of FIELD_ORDER) if (source[key] !== undefined) ordered[key] = source[key];
  for (const [key, value] of Object.entries(source)) if (value !== undefined && !(key in ordered)) ordered[key] = value;
  return ordered as unknown as Message;
}
