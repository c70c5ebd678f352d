import { performance } from "node:perf_hooks";
import Bottleneck from "bottleneck";

/** Where instances that pace together keep their state (see shared-pacing.ts). */
export interface SharedPacingStore {
  connection: Bottleneck.IORedisConnection;
  /** Prefix of the keys, one per bot. */
  id: string;
  /** Records a send under `key` if fewer than `limit` happened in the last `windowMs`; else how long to wait (ms). */
  reserve(key: string, limit: number, windowMs: number): Promise<number>;
}

/** Telegram's broadcast limits (shared/telegram-bot-api/README.md). */
export interface RateLimits {
  perChatPerSecond: number;
  /** Chats with a negative id are groups and supergroups. */
  perGroupPerMinute: number;
  globalPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30 };

/**
 * Paces Telegram sends: every send passes the chat's limiter, a group's limiter when the chat is
 * a group, and the global one.
 *
 * Bottleneck does the queueing and spacing (minTime per chat, per group, global). It measures at
 * the moment it starts a job, though, and a job starts late when a timer fires late or the event
 * loop is busy, so two sends can end up closer than the limit. `sendSlot()` is therefore a final
 * check on the actual send times (a sliding window per key) that waits out the rare remainder;
 * in the normal case it passes straight through.
 *
 * Telegram counts a request when it arrives, which is somewhere between the slot and the answer.
 * A pause after the slot (a busy event loop, a descheduled process, the network) can make an early
 * request arrive late, so that with slot times alone the window at Telegram holds one too many.
 * `sendSlot()` therefore returns `sent`: called when the answer is in, it moves that send's time
 * in the windows forward to then, the latest it can have arrived, and later sends count from it.
 */
export class TelegramPacer {
  readonly #chats: Bottleneck.Group;
  readonly #groups: Bottleneck.Group;
  readonly #global: Bottleneck;
  readonly #chatWindow: SlidingWindow;
  readonly #groupWindow: SlidingWindow;
  readonly #globalWindow: SlidingWindow;
  readonly #shared: SharedPacingStore | null;
  readonly #globalPerSecond: number;

  /**
   * `shared`: pace together with every other instance using the same Redis and `id` (one bot):
   * Bottleneck's clustering keeps the spacing in Redis, so N instances together stay within the
   * limits. Without it the limits hold for this process only. Shared, the group and global
   * limiters are passed in sendSlot(), right before the request, not in turn(): between a turn and
   * the send lie database writes and rendering, whose varying length would bunch up the sends of
   * several instances at Telegram; the local windows cannot see the other instances' sends.
   */
  constructor(limits: RateLimits, shared?: SharedPacingStore) {
    for (const [name, value] of Object.entries(limits)) {
      if (!(typeof value === "number" && value > 0 && Number.isFinite(value)))
        throw new Error(`rate limit ${name} must be a positive number, got ${String(value)}`);
    }
    this.#shared = shared ?? null;
    this.#globalPerSecond = limits.globalPerSecond;
    // Clustered, Bottleneck stalls on a fractional minTime (its Redis scripts): round up there.
    const spacing = (ms: number) => (shared ? Math.ceil(ms) : ms);
    const cluster = (id: string) => (shared ? { datastore: "ioredis", connection: shared.connection, id: `${shared.id}:${id}` } : {});
    this.#chats = new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing(1000 / limits.perChatPerSecond), ...cluster("chat") });
    this.#groups = new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing(60_000 / limits.perGroupPerMinute), ...cluster("group") });
    this.#global = new Bottleneck({ minTime: spacing(1000 / limits.globalPerSecond), ...cluster("global") });
    this.#chatWindow = SlidingWindow.forRate(limits.perChatPerSecond, 1000);
    this.#groupWindow = SlidingWindow.forRate(limits.perGroupPerMinute, 60_000);
    this.#globalWindow = SlidingWindow.forRate(limits.globalPerSecond, 1000);
  }

  /** Waits for the chat's turn under all three limiters. False when `abort` settled first. */
  async turn(chatId: bigint, abort: Promise<unknown>): Promise<boolean> {
    const key = chatId.toString();
    const group = this.#shared ? async () => undefined : () => this.#groupAndGlobal(chatId);
    const turn = this.#chats
      .key(key)
      .schedule(group)
      .then(() => true);
    return Promise.race([turn, abort.then(() => false)]);
  }

  /**
   * Resolves at the latest moment a send may happen and records it; call right before sending.
   * Call the function it resolves with when Telegram has answered (see the class comment).
   */
  async sendSlot(chatId: bigint): Promise<() => void> {
    const key = chatId.toString();
    if (this.#shared) {
      await this.#groupAndGlobal(chatId);
      // The final check on the send times of all instances, kept in Redis.
      for (;;) {
        const wait = await this.#shared.reserve(
          `${this.#shared.id}:sent`,
          Math.max(1, Math.floor(this.#globalPerSecond)),
          1000 + ARRIVAL_JITTER_MARGIN_MS,
        );
        if (wait <= 0) break;
        await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
      }
    }
    for (;;) {
      const now = performance.now();
      const wait = Math.max(
        this.#globalWindow.waitMs("*", now),
        this.#chatWindow.waitMs(key, now),
        chatId < 0n ? this.#groupWindow.waitMs(key, now) : 0,
      );
      if (wait <= 0) {
        const sends = [
          this.#globalWindow.record("*", now),
          this.#chatWindow.record(key, now),
          ...(chatId < 0n ? [this.#groupWindow.record(key, now)] : []),
        ];
        return () => {
          const answeredAt = performance.now();
          for (const send of sends) send.at = Math.max(send.at, answeredAt);
        };
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
    }
  }

  #groupAndGlobal(chatId: bigint): Promise<void> {
    const global = () => this.#global.schedule(async () => undefined);
    return chatId < 0n ? this.#groups.key(chatId.toString()).schedule(global) : global();
  }
}

/**
 * At most `limit` events in any `windowMs`, per key, plus a margin: Telegram counts requests when
 * they arrive, and the time from here to there varies by a few milliseconds from one request to
 * the next, so a window kept exactly here can be one too many there.
 */
const ARRIVAL_JITTER_MARGIN_MS = 50;

/**
 * The margin of the windows kept in this process, which count a send from Telegram's answer (see
 * the class comment): that is already after its arrival, so only a few milliseconds of clock
 * jitter are left to cover. (The full margin cost ~5 % of the global rate: 30 sends per 1.05 s.)
 */
const ANSWERED_MARGIN_MS = 15;

class SlidingWindow {
  /** Per key, the last `limit` sends (a send's time may move forward when it is answered). */
  readonly #sends = new Map<string, Array<{ at: number }>>();

  private constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** `rate` per `windowMs`; a fractional rate below 1 becomes one per longer window. */
  static forRate(rate: number, windowMs: number): SlidingWindow {
    return rate >= 1 ? new SlidingWindow(Math.floor(rate), windowMs) : new SlidingWindow(1, windowMs / rate);
  }

  waitMs(key: string, now: number): number {
    const sends = this.#sends.get(key);
    if (!sends || sends.length < this.limit) return 0;
    return oldest(sends) + this.windowMs + ANSWERED_MARGIN_MS - now;
  }

  record(key: string, now: number): { at: number } {
    const sends = this.#sends.get(key) ?? [];
    const send = { at: now };
    if (sends.length >= this.limit)
      sends.splice(
        sends.findIndex((s) => s.at === oldest(sends)),
        1,
      );
    sends.push(send);
    this.#sends.set(key, sends);
    if (this.#sends.size > 1000) this.#forgetIdle(now);
    return send;
  }

  #forgetIdle(now: number): void {
    for (const [key, sends] of this.#sends) {
      if (Math.max(...sends.map((s) => s.at)) + this.windowMs < now) this.#sends.delete(key);
    }
  }
}

const oldest = (sends: Array<{ at: number }>): number => sends.reduce((min, s) => Math.min(min, s.at), Infinity);
