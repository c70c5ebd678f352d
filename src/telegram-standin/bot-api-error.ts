import type { ResponseParameters } from "@grammyjs/types";

/**
 * A Bot API error answer. Method handlers throw it (the real server also aborts a request at the
 * first failed check); the dispatcher is the single place that turns it into
 * `{ ok: false, error_code, description, parameters }`, so handlers stay linear.
 */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = "BotApiError";
  }

  static badRequest(detail: string): BotApiError {
    return new BotApiError(400, `Bad Request: ${detail}`);
  }

  static forbidden(detail: string): BotApiError {
    return new BotApiError(403, `Forbidden: ${detail}`);
  }

  static tooManyRequests(retryAfter: number): BotApiError {
    return new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }

  static conflict(detail: string): BotApiError {
    return new BotApiError(409, `Conflict: ${detail}`);
  }
}
