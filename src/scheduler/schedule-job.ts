import { Prisma } from "../db/models.js";
import type { Tx } from "../db/transaction.js";
import { newId } from "../shared/ids.js";

/** A job's payload: plain JSON, parsed by its handler. */
export type JobPayload = Prisma.InputJsonObject;

export interface ScheduleJobInput {
  /** Which handler runs it ("order.nudge", "delivery.reminder", ...): see createJobRunner's handlers. */
  kind: string;
  /** Not run before this (on the injected clock). */
  dueAt: Date;
  /**
   * Unique per logical job ("order.nudge:<order>:2"): scheduling the same key again is a no-op,
   * so a retried transaction, a second instance or a re-run handler cannot schedule it twice.
   * A key stays taken after the job ran or was cancelled: put what makes it new into the key
   * (a date, a status sequence number) when the same kind of thing may be scheduled again.
   */
  dedupeKey: string;
  orderId?: string;
  payload?: JobPayload;
  /** Creation time, for the record (the injected clock's now). */
  now: Date;
}

/**
 * Schedules a durable job inside the caller's transaction, next to the state change that calls for
 * it: committed together or not at all. `{ scheduled: false }` when the key was taken already.
 *
 * INSERT ... ON CONFLICT DO NOTHING on both databases, for the reason enqueueOutbox gives: a unique
 * violation would abort the caller's PostgreSQL transaction.
 */
export async function scheduleJob(tx: Tx, input: ScheduleJobInput): Promise<{ scheduled: boolean }> {
  const payload = JSON.stringify(input.payload ?? {});
  const inserted = await tx.$executeRaw`
    INSERT INTO "Job" ("id", "kind", "orderId", "dueAt", "dedupeKey", "payload", "status", "attempts", "createdAt")
    VALUES (${newId()}, ${input.kind}, ${input.orderId ?? null}, ${input.dueAt}, ${input.dedupeKey}, ${payload}, 'pending', 0, ${input.now})
    ON CONFLICT ("dedupeKey") DO NOTHING`;
  return { scheduled: inserted === 1 };
}

/**
 * Cancels an order's jobs that have not run yet (all, or only these kinds): the order was
 * cancelled, delivered, or the thing they were for changed. A job already running finishes.
 */
export async function cancelJobs(
  tx: Tx,
  input: { orderId: string; kinds?: readonly string[]; now: Date; reason?: string },
): Promise<number> {
  const { count } = await tx.job.updateMany({
    where: { orderId: input.orderId, status: "pending", ...(input.kinds ? { kind: { in: [...input.kinds] } } : {}) },
    data: { status: "cancelled", finishedAt: input.now, lastError: input.reason ? `cancelled: ${input.reason}` : null },
  });
  return count;
}
