import type { InlineKeyboardButton, KeyboardButton, Message, ReplyKeyboardMarkup, User } from "@grammyjs/types";
import { BotApiError } from "./bot-api-error.js";
import { createPng, type ImageSize } from "./image-bytes.js";
import { storeDocument, storePhoto } from "./media-files.js";
import { formatUserText } from "./message-text.js";
import type { BotRecord, CallbackAnswer, ChatRecord, UserRecord } from "./records.js";
import type { ChatMessageEvent } from "./standin-events.js";
import type { StandinWorld } from "./world.js";

/** A group the stand-in created, as test code refers to it. */
export interface TelegramTestGroup {
  id: number;
  title: string;
  isForum: boolean;
}

export interface WhereOptions {
  /** A group instead of the private chat with the bot. */
  chat?: TelegramTestGroup;
  /** A forum topic of that group. */
  threadId?: number;
}

export interface SendOptions extends WhereOptions {
  /** Reply to this message of the same chat. */
  replyTo?: number;
}

export interface WaitOptions extends WhereOptions {
  timeoutMs?: number;
}

export interface TapResult {
  /** Whether the bot called answerCallbackQuery before the timeout. */
  answered: boolean;
  /** The notification text of the answer, if any. */
  text?: string;
  showAlert: boolean;
  url?: string;
}

export type MessagePredicate = (message: Message) => boolean;

const DEFAULT_WAIT_MS = 2000;

/**
 * A person using Telegram, driven by a test: writes to the bot, taps buttons, shares a contact,
 * sends photos, and waits for what the bot says. Each action produces the update a real client
 * would cause; everything the bot sends shows up in `messages`.
 */
export class TelegramTestUser {
  /** Per chat: the id of the newest message a wait already returned or the user already answered. */
  private readonly cursors = new Map<string, number>();

  constructor(
    private readonly world: StandinWorld,
    readonly record: UserRecord,
    private readonly bot: BotRecord,
  ) {}

  get id(): number {
    return this.record.user.id;
  }

  get user(): User {
    return this.record.user;
  }

  /** Writes a text message; commands get their bot_command entity as in the Telegram apps. */
  async sendText(text: string, options: SendOptions = {}): Promise<Message> {
    if (text.trim() === "") throw new Error("A Telegram client cannot send an empty message");
    const formatted = formatUserText(text);
    return this.post({ text, ...(formatted.entities.length > 0 ? { entities: formatted.entities } : {}) }, options);
  }

  /** Taps a reply-keyboard button of the keyboard the bot currently shows. */
  async pressReplyButton(text: string, options: WhereOptions = {}): Promise<Message> {
    const chat = this.chat(options);
    const keyboard = chat.replyKeyboards.get(this.id);
    const button = keyboard?.keyboard.flat().find((candidate) => buttonText(candidate) === text);
    if (!keyboard || button === undefined) {
      const shown = keyboard ? keyboard.keyboard.flat().map(buttonText).join(", ") : "no reply keyboard";
      throw new Error(`No reply button "${text}" on screen (shown: ${shown})`);
    }
    if (keyboard.one_time_keyboard) chat.replyKeyboards.delete(this.id);
    if (typeof button !== "string" && "request_contact" in button && button.request_contact) return this.shareContact(options);
    if (typeof button !== "string" && "request_location" in button && button.request_location) {
      return this.sendLocation(0, 0, options);
    }
    return this.sendText(text, options);
  }

  /** Shares the user's own phone number, as the "Share contact" button does. */
  async shareContact(options: WhereOptions = {}): Promise<Message> {
    const { phone, user } = this.record;
    if (phone === undefined) throw new Error(`${user.first_name} has no phone number; pass phone to addUser()`);
    const contact: Record<string, unknown> = { phone_number: phone, first_name: user.first_name };
    if (user.last_name !== undefined) contact.last_name = user.last_name;
    contact.user_id = user.id;
    return this.post({ contact }, options);
  }

  /** Sends someone else's contact card (from the address book): Telegram sets that person's user_id, if any. */
  async sendContactCard(card: { phoneNumber: string; firstName: string; userId?: number }, options: WhereOptions = {}): Promise<Message> {
    const contact: Record<string, unknown> = { phone_number: card.phoneNumber, first_name: card.firstName };
    if (card.userId !== undefined) contact.user_id = card.userId;
    return this.post({ contact }, options);
  }

  /** Sends a photo: real image bytes (PNG or JPEG), or a generated picture of the given size. */
  async sendPhoto(image: Uint8Array | ImageSize, options: SendOptions & { caption?: string } = {}): Promise<Message> {
    const bytes = image instanceof Uint8Array ? image : createPng(image);
    const photo = asUserError(() => storePhoto(this.world, bytes));
    return this.post({ photo, ...(options.caption !== undefined ? { caption: options.caption } : {}) }, options);
  }

  async sendDocument(
    content: Uint8Array | string,
    options: SendOptions & { fileName: string; mimeType?: string; caption?: string },
  ): Promise<Message> {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    const document = storeDocument(this.world, bytes, options.fileName, options.mimeType);
    return this.post({ document, ...(options.caption !== undefined ? { caption: options.caption } : {}) }, options);
  }

  async sendLocation(latitude: number, longitude: number, options: SendOptions = {}): Promise<Message> {
    return this.post({ location: { latitude, longitude } }, options);
  }

  /** Edits one of the user's own messages; the bot gets an edited_message update. */
  async editText(messageId: number, text: string, options: WhereOptions = {}): Promise<Message> {
    const chat = this.chat(options);
    const stored = chat.byId.get(messageId);
    if (!stored || stored.deleted || stored.sender.kind !== "user" || stored.sender.userId !== this.id) {
      throw new Error(`Message ${messageId} is not a message of ${this.user.first_name} in this chat`);
    }
    if (stored.message.text === undefined) throw new Error(`Message ${messageId} has no text to edit`);
    const formatted = formatUserText(text);
    const edited = { ...stored.message, text, edit_date: this.world.nowSeconds() } as Message & Record<string, unknown>;
    if (formatted.entities.length > 0) edited.entities = formatted.entities;
    else delete edited.entities;
    stored.message = edited;
    this.world.announceEdit(chat, stored);
    for (const bot of this.botsOf(chat)) this.world.pushUpdate(bot, { edited_message: edited } as never);
    return edited;
  }

  /**
   * Taps an inline button (matched by its text or callback_data) in the newest bot message that
   * has it, and waits until the bot answers the callback query or the timeout passes.
   */
  async tapButton(textOrData: string, options: WhereOptions & { messageId?: number; timeoutMs?: number } = {}): Promise<TapResult> {
    const chat = this.chat(options);
    const candidates = this.visible(chat, options.threadId)
      .filter((stored) => stored.sender.kind === "bot")
      .filter((stored) => options.messageId === undefined || stored.message.message_id === options.messageId)
      .reverse();
    let found: { button: InlineKeyboardButton; message: Message; botId: number } | undefined;
    for (const stored of candidates) {
      const button = stored.message.reply_markup?.inline_keyboard
        .flat()
        .find((candidate) => candidate.text === textOrData || callbackData(candidate) === textOrData);
      if (button && stored.sender.kind === "bot") {
        found = { button, message: stored.message, botId: stored.sender.botId };
        break;
      }
    }
    if (!found)
      throw new Error(
        `No inline button "${textOrData}" on screen.\n${describeChat(this.visible(chat, options.threadId).map((s) => s.message))}`,
      );
    const data = callbackData(found.button);
    if (data === undefined) throw new Error(`Button "${found.button.text}" does not send a callback query`);
    return this.sendCallbackQuery(chat, found.botId, found.message, data, options.timeoutMs);
  }

  /**
   * Sends a callback query with any data on one of the bot's messages, as a modified client or a
   * button from an older version of the message would: for testing how the bot treats data it
   * did not put on screen.
   */
  async forgeCallbackQuery(data: string, options: WhereOptions & { messageId: number; timeoutMs?: number }): Promise<TapResult> {
    const chat = this.chat(options);
    const stored = chat.messages.find((m) => m.message.message_id === options.messageId && m.sender.kind === "bot");
    if (!stored || stored.sender.kind !== "bot") throw new Error(`No bot message ${options.messageId} in this chat`);
    return this.sendCallbackQuery(chat, stored.sender.botId, stored.message, data, options.timeoutMs);
  }

  private async sendCallbackQuery(
    chat: ChatRecord,
    botId: number,
    message: Message,
    data: string,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<TapResult> {
    const bot = this.world.botsById.get(botId);
    if (!bot) throw new Error("The bot that sent this button no longer exists");

    this.cursors.set(chat.key, Math.max(this.cursors.get(chat.key) ?? 0, chat.nextMessageId - 1));
    const id = this.world.newCallbackQueryId();
    const answered = new Promise<CallbackAnswer>((resolve) => {
      bot.callbackQueries.set(id, { id, fromUserId: this.id, createdAt: Date.now(), answer: undefined, onAnswer: [resolve] });
    });
    this.world.pushUpdate(bot, {
      callback_query: {
        id,
        from: this.user,
        message,
        chat_instance: this.world.chatInstance(bot, chat),
        data,
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const answer = await Promise.race([answered, timedOut]);
    clearTimeout(timer);
    if (!answer) return { answered: false, showAlert: false };
    return {
      answered: true,
      showAlert: answer.showAlert,
      ...(answer.text !== undefined ? { text: answer.text } : {}),
      ...(answer.url !== undefined ? { url: answer.url } : {}),
    };
  }

  /** Blocks the bot: its messages now fail with 403, and it gets a my_chat_member update. */
  block(): void {
    this.record.blockedBots.add(this.bot.user.id);
    this.memberUpdate("member", "kicked");
  }

  unblock(): void {
    this.record.blockedBots.delete(this.bot.user.id);
    this.memberUpdate("kicked", "member");
  }

  /**
   * Resolves with the next bot message in the chat (after the user's last action or the last
   * message a wait returned) that matches; rejects after the timeout, listing what the chat holds.
   */
  waitForMessage(predicate: MessagePredicate = () => true, options: WaitOptions = {}): Promise<Message> {
    const chat = this.chat(options);
    const inThread = (message: Message): boolean => options.threadId === undefined || message.message_thread_id === options.threadId;
    const matches = (message: Message): boolean =>
      message.message_id > (this.cursors.get(chat.key) ?? 0) && inThread(message) && predicate(message);
    const take = (message: Message): Message => {
      this.cursors.set(chat.key, message.message_id);
      return message;
    };
    const ready = chat.messages.find((stored) => !stored.deleted && stored.sender.kind === "bot" && matches(stored.message));
    if (ready) return Promise.resolve(take(ready.message));
    return this.waitForEvent(
      (event) => event.chatKey === chat.key && event.change === "sent" && event.sender.kind === "bot" && matches(event.message),
      options.timeoutMs,
      chat,
      options.threadId,
      "a new message from the bot",
    ).then(take);
  }

  /** Resolves when the bot next edits one of its messages in the chat (optionally a given one). */
  waitForEdit(messageId?: number, options: WaitOptions = {}): Promise<Message> {
    const chat = this.chat(options);
    return this.waitForEvent(
      (event) =>
        event.chatKey === chat.key &&
        event.change === "edited" &&
        event.sender.kind === "bot" &&
        (messageId === undefined || event.message.message_id === messageId),
      options.timeoutMs,
      chat,
      options.threadId,
      messageId === undefined ? "an edit by the bot" : `an edit of message ${messageId}`,
    );
  }

  /** The private chat with the bot as this user sees it: edits applied, deleted messages gone. */
  get messages(): Message[] {
    return this.messagesIn();
  }

  /** A chat's transcript as this user sees it; the private chat with the bot when no chat is given. */
  messagesIn(options: WhereOptions = {}): Message[] {
    const chat = this.world.chats.get(this.chatKey(options));
    return chat ? this.visible(chat, options.threadId).map((stored) => stored.message) : [];
  }

  lastBotMessage(options: WhereOptions = {}): Message | undefined {
    const chat = this.world.chats.get(this.chatKey(options));
    if (!chat) return undefined;
    return this.visible(chat, options.threadId)
      .filter((stored) => stored.sender.kind === "bot")
      .at(-1)?.message;
  }

  /** The reply keyboard the bot currently shows this user, if any. */
  replyKeyboard(options: WhereOptions = {}): ReplyKeyboardMarkup | undefined {
    return this.world.chats.get(this.chatKey(options))?.replyKeyboards.get(this.id);
  }

  private async post(content: Record<string, unknown>, options: SendOptions): Promise<Message> {
    const chat = this.chat(options);
    const fields: Record<string, unknown> = {};
    if (options.chat) {
      const status = chat.members.get(this.id);
      if (!status) throw new Error(`${this.user.first_name} is not a member of "${options.chat.title}"`);
      if (options.threadId !== undefined) {
        const topic = chat.topics.get(options.threadId);
        if (!topic || topic.deleted) throw new Error(`Topic ${options.threadId} does not exist in "${options.chat.title}"`);
        if (topic.closed && status === "member") throw new Error(`Topic "${topic.name}" is closed`);
        fields.message_thread_id = topic.threadId;
      }
    } else {
      if (this.record.blockedBots.has(this.bot.user.id)) throw new Error(`${this.user.first_name} blocked the bot; call unblock() first`);
      this.record.startedBots.add(this.bot.user.id);
    }
    fields.from = this.user;
    Object.assign(fields, content);
    if (options.threadId !== undefined) fields.is_topic_message = true;
    const replyId = options.replyTo ?? (options.threadId !== undefined ? options.threadId : undefined);
    const replied = replyId === undefined ? undefined : chat.byId.get(replyId);
    if (options.replyTo !== undefined && (!replied || replied.deleted)) throw new Error(`Message ${options.replyTo} is not in this chat`);
    if (replied && !replied.deleted) {
      const { reply_to_message: _nested, ...target } = replied.message as Message & { reply_to_message?: unknown };
      fields.reply_to_message = target;
    }
    const stored = this.world.appendMessage(chat, fields, { kind: "user", userId: this.id });
    this.cursors.set(chat.key, stored.message.message_id);
    for (const bot of this.botsOf(chat)) this.world.pushUpdate(bot, { message: stored.message } as never);
    return stored.message;
  }

  private chat(options: WhereOptions): ChatRecord {
    if (!options.chat) return this.world.privateChat(this.bot, this.record);
    const chat = this.world.groupChat(options.chat.id);
    if (!chat) throw new Error(`Group ${options.chat.id} does not exist`);
    return chat;
  }

  private chatKey(options: WhereOptions): string {
    return options.chat ? `chat:${options.chat.id}` : `private:${this.bot.user.id}:${this.id}`;
  }

  private botsOf(chat: ChatRecord): BotRecord[] {
    return [...chat.bots.keys()].flatMap((id) => {
      const bot = this.world.botsById.get(id);
      return bot ? [bot] : [];
    });
  }

  private visible(chat: ChatRecord, threadId: number | undefined) {
    return chat.messages.filter((stored) => !stored.deleted && (threadId === undefined || stored.message.message_thread_id === threadId));
  }

  private memberUpdate(from: "member" | "kicked", to: "member" | "kicked"): void {
    const chat = this.world.privateChat(this.bot, this.record);
    const member = (status: "member" | "kicked") =>
      status === "kicked" ? { status, user: this.bot.user, until_date: 0 } : { status, user: this.bot.user };
    this.world.pushUpdate(this.bot, {
      my_chat_member: {
        chat: chat.chat,
        from: this.user,
        date: this.world.nowSeconds(),
        old_chat_member: member(from),
        new_chat_member: member(to),
      },
    });
  }

  private waitForEvent(
    accept: (event: ChatMessageEvent) => boolean,
    timeoutMs: number | undefined,
    chat: ChatRecord,
    threadId: number | undefined,
    what: string,
  ): Promise<Message> {
    return new Promise((resolve, reject) => {
      const unsubscribe = this.world.events.on("message", (event) => {
        if (!accept(event)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(event.message);
      });
      const limit = timeoutMs ?? DEFAULT_WAIT_MS;
      const timer = setTimeout(() => {
        unsubscribe();
        const messages = this.visible(chat, threadId).map((stored) => stored.message);
        reject(new Error(`${this.user.first_name} waited ${limit} ms for ${what}; the chat holds:\n${describeChat(messages)}`));
      }, limit);
    });
  }
}

function buttonText(button: KeyboardButton | string): string {
  return typeof button === "string" ? button : button.text;
}

function callbackData(button: InlineKeyboardButton): string | undefined {
  return "callback_data" in button ? button.callback_data : undefined;
}

function asUserError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof BotApiError) throw new Error(`Telegram would not accept this photo: ${error.description}`, { cause: error });
    throw error;
  }
}

/** A readable transcript for failure messages: who wrote what, with buttons. */
export function describeChat(messages: Message[]): string {
  if (messages.length === 0) return "  (no messages)";
  return messages
    .map((message) => {
      const who = message.from?.is_bot ? "bot" : (message.from?.first_name ?? "?");
      const body =
        message.text ??
        (message.photo ? `[photo]${message.caption ? ` ${message.caption}` : ""}` : undefined) ??
        (message.document ? `[document ${message.document.file_name ?? ""}]` : undefined) ??
        (message.contact ? `[contact ${message.contact.phone_number}]` : undefined) ??
        (message.location ? `[location]` : undefined) ??
        `[${Object.keys(message)
          .filter(
            (key) => !["message_id", "from", "chat", "date", "message_thread_id", "is_topic_message", "reply_to_message"].includes(key),
          )
          .join(", ")}]`;
      const buttons = message.reply_markup?.inline_keyboard
        .flat()
        .map((button) => `[${button.text}]`)
        .join(" ");
      return `  #${message.message_id} ${who}: ${body}${buttons ? ` ${buttons}` : ""}${message.edit_date ? " (edited)" : ""}`;
    })
    .join("\n");
}
