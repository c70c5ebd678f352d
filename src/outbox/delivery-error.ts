/**
 * What a channel throws to tell the dispatcher how a delivery failed:
 * - retry: try again later (Telegram 429 with retryAfterMs, 5xx, network errors, a webhook non-2xx);
 * - unreachable: Telegram 403 (the customer blocked the bot or never started it);
 * - permanent: retrying cannot help (another 4xx, a webhook 410 Gone).
 * Any other thrown error counts as `retry`.
 */
export type DeliveryErrorKind = "retry" | "unreachable" | "permanent";

export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  readonly kind: DeliveryErrorKind;
  /** The earliest the next attempt may be made (Telegram's retry_after, a Retry-After header). */
  readonly retryAfterMs?: number;

  constructor(kind: DeliveryErrorKind, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Anything a channel threw, as a DeliveryError (unknown errors are retried). */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DeliveryError("retry", message, { cause: error });
}
