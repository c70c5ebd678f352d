import type { OutboxChannel } from "./outbox-message.js";

export interface RetryPolicy {
  /** Attempts in all, the first one included; after the last failed one the row is `failed`. */
  maxAttempts: number;
  /** Delay after the first failed attempt; doubles each time... */
  baseDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
}

/**
 * Telegram: keep trying for about a day (5 s doubling to 30 min, then every 30 min; 60 attempts),
 * so an outage of Telegram or of the network loses no reminder; a message that no longer applies
 * by then is skipped when it is rendered, not sent late.
 * Webhooks: keep trying for about 3 days (30 s doubling to 1 h, then hourly; 90 attempts with
 * the jitter below average ~3 days), because a shop's endpoint can be down over a weekend.
 * A 429 (with retry_after / Retry-After) waits as asked and never counts towards the limit.
 */
export const DEFAULT_RETRY_POLICIES: Readonly<Record<OutboxChannel, RetryPolicy>> = {
  telegram: { maxAttempts: 60, baseDelayMs: 5_000, maxDelayMs: 30 * 60_000 },
  webhook: { maxAttempts: 90, baseDelayMs: 30_000, maxDelayMs: 60 * 60_000 },
};

/** Top-level fields apply to both channels; `telegram` / `webhook` override per channel. */
export type RetryOptions = Partial<RetryPolicy> & { telegram?: Partial<RetryPolicy>; webhook?: Partial<RetryPolicy> };

export function resolveRetryPolicies(options: RetryOptions = {}): Record<OutboxChannel, RetryPolicy> {
  const { telegram, webhook, ...common } = options;
  const resolve = (channel: OutboxChannel, own: Partial<RetryPolicy> | undefined): RetryPolicy => {
    const policy = { ...DEFAULT_RETRY_POLICIES[channel], ...definedOnly(common), ...definedOnly(own ?? {}) };
    if (!(policy.maxAttempts >= 1) || !(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) {
      throw new Error(`invalid ${channel} retry policy: ${JSON.stringify(policy)}`);
    }
    return policy;
  };
  return { telegram: resolve("telegram", telegram), webhook: resolve("webhook", webhook) };
}

/**
 * How long to wait after failed attempt number `attempt` (1-based). Exponential with jitter
 * (75-100 % of the step, so instances that failed together do not retry together); a
 * retryAfterMs from the other side (429 retry_after, Retry-After) is a floor, plus up to 10 %.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.ceil(retryAfterMs * (1 + 0.1 * random()));
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step * (0.75 + 0.25 * random()));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
