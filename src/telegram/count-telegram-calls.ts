import { GrammyError, type Transformer } from "grammy";
import type { OperationsMetrics } from "../shared/operations-metrics.js";
import { classifyTelegramError, telegramCallResultOf } from "./telegram-error.js";

/**
 * An API transformer that counts each call that sends or changes something (every method but the
 * get* reads, so long polling's getUpdates does not drown the numbers) by method and result.
 * Install it first, before auto-retry, so that each attempt is counted: a 429 that auto-retry
 * waits out shows as a 429 and then an ok, which is what an operator watching flood control wants.
 */
export function countTelegramCalls(metrics: Pick<OperationsMetrics, "telegramCall">): Transformer {
  return async (prev, method, payload, signal) => {
    if (method.startsWith("get")) return prev(method, payload, signal);
    try {
      const response = await prev(method, payload, signal);
      // Telegram's refusal is an answer here; grammY turns it into a GrammyError only after the transformers.
      const result = response.ok ? "ok" : telegramCallResultOf(classifyTelegramError(new GrammyError("", response, method, payload)));
      metrics.telegramCall(method, result);
      return response;
    } catch (error) {
      metrics.telegramCall(method, telegramCallResultOf(classifyTelegramError(error)));
      throw error;
    }
  };
}
