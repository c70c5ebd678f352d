import { performance } from "node:perf_hooks";
import type { Update } from "@grammyjs/types";
import type { ApiCallEvent, StandinEvents } from "./standin-events.js";

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** One Bot API call, as the call log keeps it (no parameters beyond the chat). */
export interface CallRecord {
  seq: number;
  /** When the stand-in had answered it (epoch ms, fractional). */
  at: number;
  botId: number | undefined;
  method: string;
  chatId: number | string | undefined;
  ok: boolean;
  errorCode: number | undefined;
}

/** How long a bot took to react to one update it fetched with getUpdates. */
export interface UpdateTiming {
  seq: number;
  botId: number;
  updateId: number;
  /** message, callback_query, ... */
  type: string;
  chatId: number;
  /** When the getUpdates answer carrying it went out (epoch ms, fractional). */
  deliveredAt: number;
  /** The bot's first call about this chat after that (any method, e.g. answerCallbackQuery). */
  firstCall: { method: string; at: number } | undefined;
  /** The bot's first visible answer in the chat: a message sent or edited. */
  answer: { method: string; at: number } | undefined;
}

const VISIBLE_ANSWER = /^(send|edit|copy|forward)/i;

/**
 * Records, for benchmarks and load tests, every Bot API call (compactly) and per update the time
 * from its delivery to the bot (the getUpdates answer carrying it) to the bot's answer arriving
 * here. An update's timing is complete once the bot sent or edited a message in that chat; one
 * the bot never visibly answers is closed, without an answer, when the chat's next update goes
 * out. Both logs are bounded: the oldest entries are dropped beyond `capacity`.
 */
export class TimingRecorder {
  private readonly calls: CallRecord[] = [];
  private readonly timings: UpdateTiming[] = [];
  /** Per `${botId}:${chatId}`: updates delivered and not yet visibly answered, oldest first. */
  private readonly open = new Map<string, UpdateTiming[]>();
  /** Callback query id -> chat, to attribute answerCallbackQuery (which names no chat). */
  private readonly callbackChats = new Map<string, number>();
  private readonly seen = new Set<string>();
  private nextSeq = 1;
  private readonly unsubscribe: () => void;

  constructor(
    events: StandinEvents,
    private readonly capacity = 1_000_000,
  ) {
    this.unsubscribe = events.on("api-call", (event) => this.onCall(event, preciseNow()));
  }

  stop(): void {
    this.unsubscribe();
  }

  /** Calls with seq > `after`, optionally of one method. */
  callsAfter(after = 0, method?: string): CallRecord[] {
    return this.calls.filter((call) => call.seq > after && (method === undefined || call.method === method));
  }

  /** Update timings closed so far with seq > `after`. */
  timingsAfter(after = 0): UpdateTiming[] {
    return this.timings.filter((timing) => timing.seq > after);
  }

  /** Forgets everything recorded so far (open updates included). */
  clear(): void {
    this.calls.length = 0;
    this.timings.length = 0;
    this.open.clear();
    this.callbackChats.clear();
    this.seen.clear();
  }

  private onCall(event: ApiCallEvent, at: number): void {
    const chatId = chatOfCall(event.params, this.callbackChats);
    this.push(this.calls, {
      seq: this.nextSeq++,
      at,
      botId: event.botId,
      method: event.method,
      chatId,
      ok: event.outcome.ok,
      errorCode: event.outcome.ok ? undefined : event.outcome.error_code,
    });
    if (event.botId === undefined) return;
    if (event.method === "getUpdates") {
      if (event.outcome.ok && Array.isArray(event.outcome.result)) this.onDelivered(event.botId, event.outcome.result as Update[], at);
      return;
    }
    if (typeof chatId !== "number" || !event.outcome.ok) return;
    const key = `${event.botId}:${chatId}`;
    const pending = this.open.get(key);
    const oldest = pending?.[0];
    if (!pending || !oldest) return;
    oldest.firstCall ??= { method: event.method, at };
    if (VISIBLE_ANSWER.test(event.method)) {
      oldest.answer = { method: event.method, at };
      pending.shift();
      if (pending.length === 0) this.open.delete(key);
      this.close(oldest);
    }
  }

  private onDelivered(botId: number, updates: Update[], at: number): void {
    for (const update of updates) {
      // A poll that is not confirmed yet returns the same update again: the first delivery counts.
      const id = `${botId}:${update.update_id}`;
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      const type = Object.keys(update).find((key) => key !== "update_id") ?? "unknown";
      const chatId = chatOfUpdate(update);
      if (chatId === undefined) continue;
      if (update.callback_query) this.callbackChats.set(update.callback_query.id, chatId);
      const key = `${botId}:${chatId}`;
      const pending = this.open.get(key) ?? [];
      // The chat moved on: an earlier update the bot never visibly answered is closed as it is.
      for (const unanswered of pending.splice(0)) this.close(unanswered);
      pending.push({ seq: 0, botId, updateId: update.update_id, type, chatId, deliveredAt: at, firstCall: undefined, answer: undefined });
      this.open.set(key, pending);
    }
  }

  private close(timing: UpdateTiming): void {
    timing.seq = this.nextSeq++;
    this.push(this.timings, timing);
  }

  private push<T>(log: T[], entry: T): void {
    log.push(entry);
    if (log.length > this.capacity) log.splice(0, log.length - this.capacity);
  }
}

function chatOfUpdate(update: Update): number | undefined {
  const message = update.message ?? update.edited_message ?? update.channel_post ?? update.edited_channel_post;
  if (message) return message.chat.id;
  if (update.callback_query) return update.callback_query.message?.chat.id ?? update.callback_query.from.id;
  if (update.my_chat_member) return update.my_chat_member.chat.id;
  if (update.chat_member) return update.chat_member.chat.id;
  return undefined;
}

function chatOfCall(params: Record<string, unknown>, callbackChats: Map<string, number>): number | string | undefined {
  const chatId = params.chat_id;
  if (typeof chatId === "number" || typeof chatId === "string") return chatId;
  const queryId = params.callback_query_id;
  if (typeof queryId === "string") return callbackChats.get(queryId);
  return undefined;
}
