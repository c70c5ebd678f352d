import type { Db } from "./create-prisma-client.js";
import { leasedStatusOf } from "./leased-rows.js";

/**
 * Frees every lease on outbox rows and jobs. Only for a database this process holds alone (SQLite,
 * under the instance lock): a lease there can only be left by a process that died (kill -9, a
 * crash), and waiting it out (2 minutes for the outbox, 5 for jobs) only delays what is owed.
 * The rows stay as they were otherwise, so they are claimed and sent on the first pass.
 */
export async function releaseAbandonedLeases(db: Db): Promise<{ outbox: number; jobs: number }> {
  const freed = { leasedUntil: null, leasedBy: null };
  const outbox = await db.outboxMessage.updateMany({ where: { status: leasedStatusOf("outboxMessage") }, data: freed });
  const jobs = await db.job.updateMany({ where: { status: leasedStatusOf("job") }, data: freed });
  return { outbox: outbox.count, jobs: jobs.count };
}
