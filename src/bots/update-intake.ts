import Bottleneck from "bottleneck";
import { BotError, type Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../shared/logger.js";
import type { BotContext } from "./bot-context.js";

export interface UpdateIntake {
  /** Takes an update to handle in the background (a webhook answers Telegram at once). */
  accept(update: Update): void;
  /** Handles an update now; a failure goes to the bot's error boundary, never to the caller. */
  handle(update: Update): Promise<void>;
  /** Waits for the updates in hand (accepted or being handled), within `graceMs`. */
  drain(graceMs: number): Promise<void>;
}

/**
 * Updates that do not come from the runner (webhook, host bot) get what the runner gives polled
 * ones: at most `concurrency` handled at once, started in arrival order (per-chat order is kept by
 * the sequentialize middleware), every failure through `bot.catch`, and a stop that waits for them.
 */
export function createUpdateIntake(bot: Bot<BotContext>, concurrency: number, logger: Logger): UpdateIntake {
  // Bottleneck queues in arrival order and starts at most `concurrency` at once (as the runner's sink does).
  const limiter = new Bottleneck({ maxConcurrent: concurrency });
  const inHand = new Set<Promise<void>>();

  const guarded = async (update: Update): Promise<void> => {
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      if (error instanceof BotError) await Promise.resolve(bot.errorHandler(error as BotError<BotContext>)).catch(() => undefined);
      else throw error;
    }
  };

  const handle = (update: Update): Promise<void> => {
    const task = limiter.schedule(() => guarded(update));
    inHand.add(task);
    void task.finally(() => inHand.delete(task)).catch(() => undefined);
    return task;
  };

  return {
    accept: (update) => {
      void handle(update).catch((error: unknown) => logger.error({ err: error, updateId: update.update_id }, "update failed"));
    },
    handle,
    drain: async (graceMs) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      while (inHand.size > 0) {
        const settled = await Promise.race([Promise.allSettled([...inHand]).then(() => true), timeout.then(() => false)]);
        if (!settled) break;
      }
      clearTimeout(timer);
    },
  };
}
