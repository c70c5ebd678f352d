import type { BackOff } from "../shared/back-off.js";
import { definedOnly } from "../shared/defined-only.js";
import type { OutboxChannel } from "./outbox-message.js";

/** A channel's back-off (src/shared/back-off.ts), and when to give up. */
export interface RetryPolicy extends BackOff {
  /** Attempts in all, the first one included; after the last failed one the row is `failed`. */
  maxAttempts: number;
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
