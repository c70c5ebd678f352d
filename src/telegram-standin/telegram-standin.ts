import type { Server } from "node:http";
import type { ForumTopic, Message, Update } from "@grammyjs/types";
import type { FaultSpec } from "./faults.js";
import { deleteTopic, forumTopicObject } from "./methods/forum-topics.js";
import type { StandinEvents } from "./standin-events.js";
import { TelegramTestUser, type TelegramTestGroup } from "./telegram-test-user.js";
import type { BotOptions, GroupOptions, StandinWorld, UserOptions } from "./world.js";

export interface StandinBot {
  token: string;
  id: number;
  username: string;
}

export interface GroupSetup {
  title: string;
  username?: string;
  members: TelegramTestUser[];
  admins?: TelegramTestUser[];
  /** Tokens of the bots in the group; all bots added so far when omitted. */
  bots?: string[];
  /** Whether the bots are administrators; true when omitted. */
  botsAreAdmins?: boolean;
}

export interface ChatSummary {
  /** Stable key: `private:<botId>:<userId>` or `chat:<chatId>`. */
  key: string;
  chat: Message["chat"];
  /** For private chats: the bot this conversation is with. */
  botId: number | undefined;
  messageCount: number;
  lastMessage: Message | undefined;
}

export interface TopicState extends ForumTopic {
  closed: boolean;
  deleted: boolean;
}

/**
 * A running stand-in: the Bot API at `url`, plus the controls a test or the sandbox needs to
 * create bots, users and groups, act as people, inject failures and observe everything.
 */
export class TelegramStandin {
  constructor(
    readonly world: StandinWorld,
    private readonly server: Server,
    /** The apiRoot for grammY, e.g. http://127.0.0.1:41234 (no trailing slash). */
    readonly url: string,
    readonly port: number,
  ) {}

  get events(): StandinEvents {
    return this.world.events;
  }

  /** How many 429 answers went out (flood limits and injected faults). */
  get tooManyRequestsSent(): number {
    return this.world.tooManyRequestsSent;
  }

  addBot(options: BotOptions): StandinBot {
    const bot = this.world.addBot(options);
    return { token: bot.token, id: bot.user.id, username: options.username };
  }

  /** A person; their private chat is with `bot` (a token), or with the first bot added. */
  addUser(options: UserOptions & { bot?: string }): TelegramTestUser {
    const bot = options.bot !== undefined ? this.world.bots.get(options.bot) : this.world.bots.values().next().value;
    if (!bot) throw new Error("Add a bot before adding users: a test user talks to a bot");
    return new TelegramTestUser(this.world, this.world.addUser(options), bot);
  }

  /** A forum supergroup (topics enabled), like the managers' group. */
  addForumGroup(setup: GroupSetup): TelegramTestGroup {
    return this.addChat(setup, "forum");
  }

  /** A supergroup without topics. */
  addSupergroup(setup: GroupSetup): TelegramTestGroup {
    return this.addChat(setup, "supergroup");
  }

  /** A person deletes a forum topic in the app: its messages vanish, later sends fail. */
  deleteTopic(chatId: number, threadId: number): void {
    const chat = this.world.groupChat(chatId);
    const topic = chat?.topics.get(threadId);
    if (!chat || !topic) throw new Error(`No topic ${threadId} in chat ${chatId}`);
    deleteTopic(this.world, chat, topic);
  }

  topics(chatId: number): TopicState[] {
    const chat = this.world.groupChat(chatId);
    return [...(chat?.topics.values() ?? [])].map((topic) => ({
      ...forumTopicObject(topic),
      closed: topic.closed,
      deleted: topic.deleted,
    }));
  }

  injectFault(fault: FaultSpec): void {
    this.world.faults.add(fault);
  }

  clearFaults(): void {
    this.world.faults.clear();
  }

  /** Every chat, for a UI to list. */
  chats(): ChatSummary[] {
    return [...this.world.chats.values()].map((chat) => {
      const visible = chat.messages.filter((stored) => !stored.deleted);
      return {
        key: chat.key,
        chat: chat.chat,
        botId: chat.privateBotId,
        messageCount: visible.length,
        lastMessage: visible.at(-1)?.message,
      };
    });
  }

  /** A chat's messages (edits applied, deleted ones left out), by chat key or group id. */
  messages(chat: string | number, options: { threadId?: number } = {}): Message[] {
    const record = this.world.chats.get(typeof chat === "number" ? `chat:${chat}` : chat);
    return (record?.messages ?? [])
      .filter((stored) => !stored.deleted)
      .filter((stored) => options.threadId === undefined || stored.message.message_thread_id === options.threadId)
      .map((stored) => stored.message);
  }

  /** Updates a bot has not confirmed yet. */
  pendingUpdates(token: string): Update[] {
    return this.world.bots.get(token)?.updates.peek(Number.MAX_SAFE_INTEGER) ?? [];
  }

  async close(): Promise<void> {
    await Promise.all([...this.world.bots.values()].map((bot) => bot.webhook?.stop() ?? Promise.resolve()));
    for (const bot of this.world.bots.values()) bot.updates.releaseAll();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive connections (grammY keeps them) would hold close() open otherwise.
      this.server.closeAllConnections();
    });
  }

  private addChat(setup: GroupSetup, kind: "forum" | "supergroup"): TelegramTestGroup {
    const options: GroupOptions = {
      title: setup.title,
      members: setup.members.map((member) => member.record),
      admins: (setup.admins ?? []).map((admin) => admin.record),
      ...(setup.username !== undefined ? { username: setup.username } : {}),
      ...(setup.botsAreAdmins !== undefined ? { botsAreAdmins: setup.botsAreAdmins } : {}),
      ...(setup.bots !== undefined
        ? {
            bots: setup.bots.map((token) => {
              const bot = this.world.bots.get(token);
              if (!bot) throw new Error(`Unknown bot token ${token}`);
              return bot;
            }),
          }
        : {}),
    };
    const chat = this.world.addGroup(options, kind);
    return { id: chat.chat.id, title: setup.title, isForum: kind === "forum" };
  }
}
