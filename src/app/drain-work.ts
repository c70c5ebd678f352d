import type { Db } from "../db/create-prisma-client.js";
import { dueWhereOf } from "../db/leased-rows.js";
import type { OutboxChannel } from "../outbox/outbox-message.js";
import type { Clock } from "../shared/clock.js";

/** What an app instance has that can still be doing something after a request was answered. */
export interface DrainableWork {
  db: Db;
  clock: Clock;
  /** The prefix of this instance's lease tokens (`<instanceId>/<claim>`): what it holds itself. */
  instanceId: string;
  /** The channels this instance's outbox delivers (webhooks only when a URL and secret are set). */
  outboxChannels: OutboxChannel[];
  /** The job kinds this instance has handlers for. */
  jobKinds: string[];
  outbox: { runOnce(): Promise<number> };
  jobs: { runOnce(): Promise<number> };
  /** Resolves when the Telegram updates already taken in hand are handled. */
  updatesHandled(): Promise<void>;
}

export interface DrainOptions {
  /** Give up (throw) when the work has not settled within this long (ms, real time). Default 15 000. */
  timeoutMs?: number;
}

/**
 * Resolves when nothing due is left undone: the updates in hand are handled, every job due now
 * has run, and every outbox message due now has been sent, skipped, failed or scheduled for a
 * retry, including what those runs queued, and none is still in flight (a group's messages are
 * sent in the background, a tap's answer by deliverNow). A test awaits it before asserting that
 * something did not happen, so a late duplicate is there to be seen instead of slept past.
 *
 * It runs passes itself (they queue behind the background loop's, never beside them) and looks
 * in the database for what is left, on the app's clock: what is due later (a retry's back-off, a
 * reminder tomorrow) is not waited for, and neither is what another live instance holds.
 */
export async function drainWork(work: DrainableWork, options: DrainOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  await work.updatesHandled();
  for (;;) {
    const done = (await work.jobs.runOnce()) + (await work.outbox.runOnce());
    const left = await workLeft(work);
    if (done === 0 && left.jobs + left.messages === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `drain: after ${timeoutMs} ms, ${left.jobs} job(s) and ${left.messages} outbox message(s) are still due or in flight`,
      );
    }
    // Nothing this pass could take, but some of ours are still in flight: look again shortly.
    if (done === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function workLeft(work: DrainableWork): Promise<{ jobs: number; messages: number }> {
  const now = work.clock.now();
  const ours = `${work.instanceId}/`;
  const [jobs, messages] = await Promise.all([
    work.db.job.count({ where: { AND: [{ kind: { in: work.jobKinds } }, dueWhereOf("job", now, ours)] } }),
    work.db.outboxMessage.count({ where: { AND: [{ channel: { in: work.outboxChannels } }, dueWhereOf("outboxMessage", now, ours)] } }),
  ]);
  return { jobs, messages };
}
