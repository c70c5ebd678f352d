/** Telegram's documented limits for messages a bot sends (Bot FAQ, grammY "flood limits"). */
export interface FloodLimitSettings {
  /** Sustained messages per second into one chat. */
  perChatPerSecond: number;
  /** Messages one chat tolerates at once before the per-second pace applies. */
  perChatBurst: number;
  /** Messages per minute into one group or supergroup, all its topics together. */
  perGroupPerMinute: number;
  /** Messages per second across all chats. */
  globalPerSecond: number;
  /** Messages per second across all chats for sends with allow_paid_broadcast. */
  paidBroadcastPerSecond: number;
}

export const TELEGRAM_FLOOD_LIMITS: FloodLimitSettings = {
  perChatPerSecond: 1,
  perChatBurst: 3,
  perGroupPerMinute: 20,
  globalPerSecond: 30,
  paidBroadcastPerSecond: 1000,
};

export type FloodDecision = { ok: true } | { ok: false; retryAfter: number; limit: "chat" | "group" | "global" };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Decides whether one more message may be sent now. Per chat is a token bucket (a burst, then
 * the steady pace); per group and global are sliding windows. A refused message consumes
 * nothing, so a bot that waits retry_after seconds gets through.
 */
export class FloodLimiter {
  private readonly chatBuckets = new Map<string, Bucket>();
  private readonly groupSends = new Map<string, number[]>();
  private readonly globalSends = new Map<number, number[]>();

  constructor(
    private readonly settings: FloodLimitSettings,
    private readonly nowMs: () => number,
  ) {}

  check(botId: number, chatId: number, isGroup: boolean, paidBroadcast: boolean): FloodDecision {
    const now = this.nowMs();
    const chatKey = `${botId}:${chatId}`;

    const bucket = this.chatBuckets.get(chatKey) ?? { tokens: this.settings.perChatBurst, updatedAt: now };
    const rate = this.settings.perChatPerSecond / 1000;
    bucket.tokens = Math.min(this.settings.perChatBurst, bucket.tokens + (now - bucket.updatedAt) * rate);
    bucket.updatedAt = now;
    this.chatBuckets.set(chatKey, bucket);
    if (bucket.tokens < 1) return refuse((1 - bucket.tokens) / rate, "chat");

    const group = isGroup ? prune(this.groupSends.get(chatKey) ?? [], now - 60_000) : [];
    if (isGroup) {
      this.groupSends.set(chatKey, group);
      const oldest = group[0];
      if (group.length >= this.settings.perGroupPerMinute && oldest !== undefined) {
        return refuse(oldest + 60_000 - now, "group");
      }
    }

    const global = prune(this.globalSends.get(botId) ?? [], now - 1000);
    this.globalSends.set(botId, global);
    const globalLimit = paidBroadcast ? this.settings.paidBroadcastPerSecond : this.settings.globalPerSecond;
    const oldestGlobal = global[global.length - globalLimit];
    if (global.length >= globalLimit && oldestGlobal !== undefined) return refuse(oldestGlobal + 1000 - now, "global");

    bucket.tokens -= 1;
    if (isGroup) group.push(now);
    global.push(now);
    return { ok: true };
  }
}

function prune(times: number[], after: number): number[] {
  return times.filter((time) => time > after);
}

function refuse(waitMs: number, limit: "chat" | "group" | "global"): FloodDecision {
  // Telegram reports whole seconds and never 0.
  return { ok: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)), limit };
}
