import Bottleneck from "bottleneck";
import { BotError, type Bot } from "grammy";
import type { Update } from "grammy/types";
import type { InboundUpdateJournal } from "../db/inbound-update-journal.js";
import type { Logger } from "../shared/logger.js";
import type { BotContext } from "./bot-context.js";

export interface UpdateIntake {
  /**
   * Records an update (before Telegram is told it arrived: the webhook answers after this) and
   * handles it in the background; "duplicate" when Telegram delivered it before.
   */
  accept(update: Update): Promise<"accepted" | "duplicate">;
  /** Records and handles an update now (a host bot's); a failure goes to the bot's error boundary, never to the caller. */
  handle(update: Update): Promise<void>;
  /** Records a polled batch before the next getUpdates confirms it; returns the ones not seen before. */
  record(updates: Update[]): Promise<Update[]>;
  /** Handles an update already recorded (the poller's), then marks it handled. */
  handleRecorded(update: Update): Promise<void>;
  /**
   * Handles, in the background and ahead of new updates, those that other (stopped) instances
   * recorded and never finished (see InboundUpdateJournal.takeOverUnfinished for the scope).
   * Returns how many were taken over.
   */
  resumeUnfinished(scope: "abandoned" | "all"): Promise<number>;
  /** Waits for the updates in hand (accepted or being handled), within `graceMs`. */
  drain(graceMs: number): Promise<void>;
}

/**
 * Every update, however it arrives, is recorded in the journal before Telegram may forget it and
 * marked handled after its handler finished, so an update in hand when the process dies is handled
 * at the next start, and one delivered twice is handled once. Updates that do not come from the
 * runner (webhook, host bot, taken over) get what the runner gives polled ones: at most
 * `concurrency` handled at once, started in arrival order (per-chat order is kept by the
 * sequentialize middleware), every failure through `bot.catch`, and a stop that waits for them.
 */
export function createUpdateIntake(bot: Bot<BotContext>, journal: InboundUpdateJournal, concurrency: number, logger: Logger): UpdateIntake {
  // Bottleneck queues in arrival order and starts at most `concurrency` at once (as the runner's sink does).
  const limiter = new Bottleneck({ maxConcurrent: concurrency });
  const inHand = new Set<Promise<void>>();

  const handleRecorded = async (update: Update): Promise<void> => {
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      if (error instanceof BotError) {
        await Promise.resolve(bot.errorHandler(error as BotError<BotContext>)).catch((boundaryError: unknown) =>
          logger.error({ err: boundaryError, cause: error.error, updateId: update.update_id }, "the error boundary itself failed"),
        );
      } else throw error;
    }
    // A failed update was answered by the error boundary: it is done too (never replayed in a loop).
    await journal
      .markHandled(update.update_id)
      .catch((error: unknown) =>
        logger.error({ err: error, updateId: update.update_id }, "could not mark an update handled; it is handled again at the next start"),
      );
  };

  const schedule = (update: Update): Promise<void> => {
    const task = limiter.schedule(() => handleRecorded(update));
    inHand.add(task);
    void task.finally(() => inHand.delete(task)).catch(() => undefined);
    return task;
  };
  const inBackground = (update: Update): void => {
    void schedule(update).catch((error: unknown) => logger.error({ err: error, updateId: update.update_id }, "update failed"));
  };

  return {
    accept: async (update) => {
      const [fresh] = await journal.record([update]);
      if (!fresh) return "duplicate";
      inBackground(fresh);
      return "accepted";
    },
    handle: async (update) => {
      const [fresh] = await journal.record([update]);
      if (fresh) await schedule(fresh);
    },
    record: (updates) => journal.record(updates),
    handleRecorded,
    resumeUnfinished: async (scope) => {
      const unfinished = await journal.takeOverUnfinished<Update>(scope);
      for (const update of unfinished) inBackground(update);
      if (unfinished.length)
        logger.info({ updateIds: unfinished.map((u) => u.update_id) }, "handling updates a stopped instance had taken and not finished");
      return unfinished.length;
    },
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
