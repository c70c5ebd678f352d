import type { Db } from "../db/create-prisma-client.js";

/** The scheduler's jobs of one kind that wait, as the metrics show them. */
export interface JobBacklog {
  kind: string;
  /** Due by now and not done: waiting for a runner, or running. */
  due: number;
  /** Waiting for their time. */
  scheduled: number;
  /** The due time of the longest-overdue job that no runner has yet. */
  oldestDueAt: Date | null;
}

/** Per kind, what the scheduler owes now and later (on the (status, dueAt) index). */
export async function jobBacklog(db: Db, now: Date): Promise<JobBacklog[]> {
  const [waiting, running, later] = await Promise.all([
    db.job.groupBy({ by: ["kind"], where: { status: "pending", dueAt: { lte: now } }, _count: { _all: true }, _min: { dueAt: true } }),
    db.job.groupBy({ by: ["kind"], where: { status: "running" }, _count: { _all: true } }),
    db.job.groupBy({ by: ["kind"], where: { status: "pending", dueAt: { gt: now } }, _count: { _all: true } }),
  ]);
  const kinds = [...new Set([...waiting, ...running, ...later].map((row) => row.kind))].sort();
  return kinds.map((kind) => ({
    kind,
    due: (waiting.find((row) => row.kind === kind)?._count._all ?? 0) + (running.find((row) => row.kind === kind)?._count._all ?? 0),
    scheduled: later.find((row) => row.kind === kind)?._count._all ?? 0,
    oldestDueAt: waiting.find((row) => row.kind === kind)?._min.dueAt ?? null,
  }));
}
