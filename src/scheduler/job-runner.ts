// Runs durable jobs (src/scheduler/schedule-job.ts) when they are due, on any number of instances.
//
// How a job runs exactly once
// ---------------------------
// A runner *claims* due jobs (src/db/leased-rows.ts, the outbox's protocol too): one guarded
// UPDATE makes `pending` jobs due by now (or `running` jobs whose lease expired: their runner died)
// `running` under a token unique to the claim, and counts the run; of two runners (two instances
// on one PostgreSQL database) racing for a job exactly one gets it.
//
// From the claim until its outcome is written (waiting for a worker, then running) a job's lease
// is renewed every third of a lease, so a slow handler is not taken over however short the lease:
// 10 s on PostgreSQL, where another instance then takes over a dead one's jobs within about that;
// on SQLite start-up releases a dead instance's leases at once.
// The outcome is written with the token in the WHERE clause: a runner that lost its job (it was
// stalled past the lease) changes nothing. The one case of a second run is a crash (or a stall
// longer than the lease) in the middle of a handler: after the lease expires another runner runs
// it again. So handlers must be idempotent; ordergram's are, because whatever they write is keyed
// (outbox idempotency keys, job dedupe keys) and they re-check the order's state first.
//
// Handlers
// --------
// `handlers` maps a job kind to a function that receives the job and returns what happened:
//   { type: "done" }                    it did what it was for;
//   { type: "skipped", reason }         it no longer applies (the order was cancelled, a manager
//                                       has the chat...): recorded as cancelled with the reason;
//   { type: "retry", reason, at? }      try again: at `at` ("not yet": no attempt is counted), or
//                                       after an exponential back-off, up to maxAttempts, then failed.
// A thrown error is a retry with back-off, logged. A job whose kind has no handler stays pending
// (another instance, or a newer version, may know it) and a warning is logged.
import { hostname } from "node:os";
import type { Db } from "../db/create-prisma-client.js";
import { leasedRows } from "../db/leased-rows.js";
import type { Job, Prisma } from "../db/models.js";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import { backOffDelayMs, type BackOff } from "../shared/back-off.js";
import { createPassLoop } from "../shared/pass-loop.js";
import { skipCodeOf, type SkipCode } from "../shared/skip-reason.js";

export type JobOutcome =
  { type: "done" } | { type: "skipped"; reason: string; code?: SkipCode } | { type: "retry"; reason: string; at?: Date };

/** A job as a handler sees it. */
export interface RunnableJob {
  id: string;
  kind: string;
  orderId: string | null;
  dueAt: Date;
  dedupeKey: string;
  payload: Prisma.JsonValue;
  /** 1 on the first run. */
  attempt: number;
}

export type JobHandler = (job: RunnableJob) => Promise<JobOutcome>;

export interface JobRunnerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  handlers: Readonly<Record<string, JobHandler>>;
  /** How often to look for due jobs when not kicked (ms, real time). Default 1000. */
  pollIntervalMs?: number;
  /** Shown in leasedBy; defaults to <hostname>:<pid>. */
  instanceId?: string;
  /**
   * Lease length (ms, on the injected clock), renewed every third of it (real time) from the claim
   * until the outcome is written. Default 5 min; start-app gives PostgreSQL a short one.
   */
  leaseMs?: number;
  /** Jobs claimed per pass. Default 50. */
  batchSize?: number;
  /** Handlers running at once. Default 8. */
  concurrency?: number;
  /** Runs in all before a failing job is given up (failed). Default 8. */
  maxAttempts?: number;
  /** Back-off after the first failed run; doubles each time, up to an hour. Default 30 s. */
  retryBaseDelayMs?: number;
}

export interface JobRunner {
  /** Starts the background loop (idempotent). */
  start(): void;
  /** Stops claiming, lets running handlers finish, hands claimed jobs that did not start back. */
  stop(): Promise<void>;
  /** Look for due jobs now (e.g. after the clock moved or a job due now was scheduled). */
  kick(): void;
  /** One pass: claim due jobs and run them. Resolves with the number of jobs run. */
  runOnce(): Promise<number>;
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, clock, handlers } = options;
  const logger = options.logger.child({ component: "scheduler" });
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batchSize = options.batchSize ?? 50;
  const concurrency = options.concurrency ?? 8;
  const maxAttempts = options.maxAttempts ?? 8;
  const backOff: BackOff = { baseDelayMs: options.retryBaseDelayMs ?? 30_000, maxDelayMs: 60 * 60_000 };
  const kinds = Object.keys(handlers);

  const warnedKinds = new Set<string>();

  const leases = leasedRows({ db, table: "job", clock, logger, leaseMs, instanceId, what: "job" });

  async function claim(): Promise<{ token: string; jobs: Job[]; saturated: boolean }> {
    const now = clock.now();
    const where: Prisma.JobWhereInput = { kind: { in: kinds } };
    const due = await db.job.findMany({
      where: { ...where, ...leases.dueWhere(now) },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: batchSize,
      select: { id: true },
    });
    await warnAboutUnknownKinds(now);
    if (due.length === 0) return { token: "", jobs: [], saturated: false };
    const claimed = await leases.claim({
      where: { ...where, id: { in: due.map((row) => row.id) } },
      now,
      data: { attempts: { increment: 1 } },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    });
    // Lost a write conflict to a racing claim: look again at once.
    if (!claimed) return { token: "", jobs: [], saturated: true };
    return { token: claimed.token, jobs: claimed.rows, saturated: due.length === batchSize && claimed.rows.length > 0 };
  }

  async function warnAboutUnknownKinds(now: Date): Promise<void> {
    const unknown = await db.job.findFirst({
      where: { status: "pending", dueAt: { lte: now }, kind: { notIn: [...kinds, ...warnedKinds] } },
      select: { kind: true },
    });
    if (!unknown) return;
    warnedKinds.add(unknown.kind);
    logger.warn({ kind: unknown.kind }, "due jobs of a kind this instance has no handler for stay pending");
  }

  /** Writes the outcome, only if the job is still ours. */
  async function finish(job: Job, token: string, data: Prisma.JobUpdateManyMutationInput): Promise<void> {
    if (!(await leases.finish(job.id, token, data)))
      logger.warn({ jobId: job.id, kind: job.kind }, "a job's lease was taken over while it ran; its outcome was not recorded here");
  }

  async function runJob(job: Job, token: string): Promise<void> {
    const handler = handlers[job.kind]!;
    let outcome: JobOutcome;
    try {
      outcome = await handler({
        id: job.id,
        kind: job.kind,
        orderId: job.orderId,
        dueAt: job.dueAt,
        dedupeKey: job.dedupeKey,
        payload: job.payload,
        attempt: job.attempts,
      });
    } catch (error) {
      logger.error({ err: error, jobId: job.id, kind: job.kind, orderId: job.orderId }, "job handler failed");
      outcome = { type: "retry", reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    const now = clock.now();
    switch (outcome.type) {
      case "done":
        await finish(job, token, { status: "done", finishedAt: now, lastError: null });
        break;
      case "skipped":
        await finish(job, token, {
          status: "cancelled",
          finishedAt: now,
          lastError: `skipped: ${outcome.reason}`,
          skipCode: skipCodeOf(outcome),
        });
        logger.debug({ jobId: job.id, kind: job.kind, reason: outcome.reason }, "job skipped");
        break;
      case "retry":
        if (outcome.at) {
          // "Not yet": not a failure, so the run is not counted.
          await finish(job, token, { status: "pending", dueAt: outcome.at, attempts: job.attempts - 1, lastError: null, leasedBy: null });
        } else if (job.attempts >= maxAttempts) {
          await finish(job, token, {
            status: "failed",
            finishedAt: now,
            lastError: `gave up after ${job.attempts} runs: ${outcome.reason}`,
          });
          logger.warn({ jobId: job.id, kind: job.kind, orderId: job.orderId, reason: outcome.reason }, "job failed, not retried");
        } else {
          const dueAt = new Date(now.getTime() + backOffDelayMs(backOff, job.attempts));
          await finish(job, token, { status: "pending", dueAt, lastError: outcome.reason, leasedBy: null });
        }
        break;
    }
  }

  async function pass(): Promise<{ ran: number; saturated: boolean }> {
    const { token, jobs, saturated } = await claim();
    // Every claimed job stays leased until its outcome is written, also those waiting for a worker.
    const held = jobs.length > 0 ? leases.hold(token) : () => {};
    let ran = 0;
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        if (passLoop.stopping) {
          // Hand it back untouched, the run uncounted, for the next instance or start.
          await finish(job, token, { status: "pending", attempts: job.attempts - 1, leasedBy: null });
          continue;
        }
        await runJob(job, token);
        ran++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker)).finally(held);
    return { ran, saturated };
  }

  // Passes never overlap within one runner, so it never runs a job it claimed twice.
  const passLoop = createPassLoop({ pass, pollIntervalMs, onError: (error) => logger.error({ err: error }, "scheduler pass failed") });
  return {
    start: () => passLoop.start(),
    stop: () => passLoop.stop(),
    kick: () => passLoop.kick(),
    async runOnce() {
      return (await passLoop.runOnce()).ran;
    },
  };
}
