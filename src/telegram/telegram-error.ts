import { GrammyError, HttpError } from "grammy";
import { DeliveryError } from "../outbox/delivery-error.js";
import type { Logger } from "../shared/logger.js";
import type { TelegramCallResult } from "../shared/operations-metrics.js";

/**
 * What a failed Telegram call means, decided once from grammY's two error classes: GrammyError
 * (Telegram answered with an error: its `error_code` and `description`) and HttpError (the request
 * never completed). Every caller handles a class, never a description.
 *
 * The 400 descriptions below are Telegram's own (see the stand-in's errors, which copy them).
 */
export type TelegramErrorClass =
  /** 429: too many requests; wait `retryAfterMs` before the next try. */
  | { type: "flood"; retryAfterMs: number }
  /** 403: the user blocked the bot, never started it, or the bot was removed from the group. */
  | { type: "forbidden"; description: string }
  /** 400: the edit would change nothing (the message already shows it). */
  | { type: "not_modified" }
  /** 400: the message to edit, copy or delete is gone, or too old to edit. */
  | { type: "message_gone"; description: string }
  /** 400: the forum topic is gone (a person deleted it). */
  | { type: "thread_gone"; description: string }
  /** Any other 4xx: the request itself is wrong; repeating it cannot help. */
  | { type: "rejected"; code: number; description: string }
  /** 5xx: Telegram's side failed; a later try may work. */
  | { type: "server"; code: number; description: string }
  /** The request never completed (network, timeout). */
  | { type: "network"; description: string }
  /** Not a Telegram failure at all: a bug or a database error, handled as such. */
  | { type: "other" };

const notModified = /message is not modified|TOPIC_NOT_MODIFIED/i;
const messageGone = /message to (edit|copy|delete) not found|message can't be (edited|deleted)/i;
const threadGone = /message thread not found|TOPIC_ID_INVALID|TOPIC_DELETED/i;

export function classifyTelegramError(error: unknown): TelegramErrorClass {
  if (error instanceof GrammyError) {
    const { error_code: code, description } = error;
    if (code === 429) return { type: "flood", retryAfterMs: (error.parameters.retry_after ?? 1) * 1000 };
    if (code === 403) return { type: "forbidden", description };
    if (code >= 500) return { type: "server", code, description };
    if (notModified.test(description)) return { type: "not_modified" };
    if (threadGone.test(description)) return { type: "thread_gone", description };
    if (messageGone.test(description)) return { type: "message_gone", description };
    return { type: "rejected", code, description };
  }
  if (error instanceof HttpError) return { type: "network", description: error.message };
  return { type: "other" };
}

/** A failure class as the metrics count it (see OperationsMetrics.telegramCall). */
export function telegramCallResultOf(failure: TelegramErrorClass): TelegramCallResult {
  switch (failure.type) {
    case "flood":
      return "429";
    case "forbidden":
      return "403";
    case "not_modified":
    case "message_gone":
    case "thread_gone":
    case "rejected":
      return "4xx";
    case "server":
      return "5xx";
    case "network":
      return "network";
    case "other":
      return "error";
  }
}

export const isNotModified = (error: unknown): boolean => classifyTelegramError(error).type === "not_modified";
export const isMessageGone = (error: unknown): boolean => classifyTelegramError(error).type === "message_gone";
export const isThreadGone = (error: unknown): boolean => classifyTelegramError(error).type === "thread_gone";

/**
 * Telegram's answer as the outbox understands it: wait and retry, give up, or the chat is gone.
 * A DeliveryError a sender threw on purpose passes through as it is.
 */
export function toOutboxDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const failure = classifyTelegramError(error);
  const description = error instanceof GrammyError ? `${error.method}: ${error.error_code} ${error.description}` : String(error);
  switch (failure.type) {
    case "flood":
      return new DeliveryError("retry", description, { retryAfterMs: failure.retryAfterMs, cause: error });
    case "forbidden":
      return new DeliveryError("unreachable", description, { cause: error });
    case "server":
    case "other":
      return new DeliveryError("retry", description, { cause: error });
    case "network":
      return new DeliveryError("retry", `network: ${failure.description}`, { cause: error });
    case "not_modified":
    case "message_gone":
    case "thread_gone":
    case "rejected":
      return new DeliveryError("permanent", description, { cause: error });
  }
}

/**
 * Runs a call whose failure must not undo what the caller already did (taking the buttons off an
 * old message, a toast after a committed change). The answers that mean "nothing left to do"
 * (not modified, the message is gone) pass silently; any other Telegram failure (a 429 the
 * auto-retry gave up on, the network) is logged with its class and the caller goes on. Not a
 * Telegram failure (a bug) is thrown.
 */
export async function bestEffort<T>(logger: Pick<Logger, "warn">, what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const failure = classifyTelegramError(error);
    if (failure.type === "other") throw error;
    if (failure.type !== "not_modified" && failure.type !== "message_gone")
      logger.warn({ err: error, failure: failure.type }, `${what}: Telegram refused it`);
    return undefined;
  }
}
