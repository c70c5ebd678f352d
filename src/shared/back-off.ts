/** How long to wait before trying again something that failed: exponential, capped. */
export interface BackOff {
  /** The wait after the first failure; doubles with each further one... */
  baseDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
}

/**
 * How long to wait after failed attempt number `attempt` (1-based). Exponential with jitter
 * (75-100 % of the step, so workers that failed together do not retry together); a
 * `retryAfterMs` the other side asked for (429 retry_after, Retry-After) is a floor, plus up to
 * 10 %. The one back-off of the outbox and the job runner.
 */
export function backOffDelayMs(backOff: BackOff, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.ceil(retryAfterMs * (1 + 0.1 * random()));
  const step = Math.min(backOff.maxDelayMs, backOff.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step * (0.75 + 0.25 * random()));
}
