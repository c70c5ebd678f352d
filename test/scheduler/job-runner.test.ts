import { beforeEach, expect, it } from "vitest";
import type { Db } from "../../src/db/create-prisma-client.js";
import { createJobRunner, type JobHandler, type JobRunnerOptions } from "../../src/scheduler/job-runner.js";
import { cancelJobs, scheduleJob, type ScheduleJobInput } from "../../src/scheduler/schedule-job.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import { pastSeveralLeases } from "../support/past-several-leases.js";
import { describeEachDatabase } from "../support/test-database.js";

const START = "2026-11-23T10:00:00.000Z";
const minutes = (n: number) => n * 60_000;

async function schedule(db: Db, input: Omit<ScheduleJobInput, "now"> & { now?: Date }) {
  return db.$transaction((tx) => scheduleJob(tx, { now: new Date(START), ...input }));
}

function runner(db: Db, handlers: Record<string, JobHandler>, overrides: Partial<JobRunnerOptions> = {}) {
  const clock = overrides.clock instanceof ManualClock ? overrides.clock : new ManualClock(START);
  return { clock, runner: createJobRunner({ db, clock, logger: createLogger({ level: "silent" }), handlers, ...overrides }) };
}

describeEachDatabase("durable jobs", (getDb, provider) => {
  beforeEach(async () => {
    await getDb().job.deleteMany();
  });

  it("should run a job once when it is due, not before, and record it done", async () => {
    const ran: string[] = [];
    const { clock, runner: jobs } = runner(getDb(), { ping: async (job) => (ran.push(job.dedupeKey), { type: "done" }) });
    expect(await schedule(getDb(), { kind: "ping", dueAt: new Date(Date.parse(START) + minutes(60)), dedupeKey: "ping:1" })).toEqual({
      scheduled: true,
    });

    expect(await jobs.runOnce()).toBe(0);
    clock.advance(minutes(60));
    expect(await jobs.runOnce()).toBe(1);
    expect(await jobs.runOnce()).toBe(0);
    expect(ran).toEqual(["ping:1"]);
    expect(await getDb().job.findUniqueOrThrow({ where: { dedupeKey: "ping:1" } })).toMatchObject({
      status: "done",
      attempts: 1,
      finishedAt: clock.now(),
    });
  });

  it("should keep one job for a repeated dedupe key, even after it ran", async () => {
    const dueAt = new Date(START);
    expect(await schedule(getDb(), { kind: "ping", dueAt, dedupeKey: "dup" })).toEqual({ scheduled: true });
    expect(await schedule(getDb(), { kind: "ping", dueAt, dedupeKey: "dup", payload: { other: true } })).toEqual({ scheduled: false });
    const { runner: jobs } = runner(getDb(), { ping: async () => ({ type: "done" }) });
    await jobs.runOnce();
    expect(await schedule(getDb(), { kind: "ping", dueAt, dedupeKey: "dup" })).toEqual({ scheduled: false });
    expect(await getDb().job.count()).toBe(1);
  });

  it("should record a skipped job with its reason, and reschedule a 'not yet' without counting a run", async () => {
    const dueAt = new Date(START);
    await schedule(getDb(), { kind: "skip", dueAt, dedupeKey: "s" });
    await schedule(getDb(), { kind: "later", dueAt, dedupeKey: "l" });
    const { clock, runner: jobs } = runner(getDb(), {
      skip: async () => ({ type: "skipped", reason: "the order was cancelled" }),
      later: async (job) =>
        job.payload && clock.now().getTime() >= Date.parse(START) + minutes(30)
          ? { type: "done" }
          : { type: "retry", reason: "not yet", at: new Date(Date.parse(START) + minutes(30)) },
    });
    await jobs.runOnce();
    expect(await getDb().job.findUniqueOrThrow({ where: { dedupeKey: "s" } })).toMatchObject({
      status: "cancelled",
      lastError: "skipped: the order was cancelled",
    });
    expect(await getDb().job.findUniqueOrThrow({ where: { dedupeKey: "l" } })).toMatchObject({
      status: "pending",
      attempts: 0,
      dueAt: new Date(Date.parse(START) + minutes(30)),
    });
    clock.advance(minutes(30));
    await jobs.runOnce();
    expect(await getDb().job.findUniqueOrThrow({ where: { dedupeKey: "l" } })).toMatchObject({ status: "done", attempts: 1 });
  });

  it("should retry a failing handler with back-off and give up after maxAttempts", async () => {
    await schedule(getDb(), { kind: "boom", dueAt: new Date(START), dedupeKey: "b" });
    let runs = 0;
    const { clock, runner: jobs } = runner(
      getDb(),
      {
        boom: async () => {
          runs++;
          throw new Error("database on fire");
        },
      },
      { maxAttempts: 3, retryBaseDelayMs: 1000 },
    );
    for (let i = 0; i < 6; i++) {
      await jobs.runOnce();
      clock.advance(minutes(1));
    }
    expect(runs).toBe(3);
    expect(await getDb().job.findUniqueOrThrow({ where: { dedupeKey: "b" } })).toMatchObject({
      status: "failed",
      attempts: 3,
      lastError: "gave up after 3 runs: Error: database on fire",
    });
  });

  it("should cancel an order's pending jobs of the given kinds only", async () => {
    const dueAt = new Date(START);
    await schedule(getDb(), { kind: "a", dueAt, dedupeKey: "o1:a", orderId: "o1" });
    await schedule(getDb(), { kind: "b", dueAt, dedupeKey: "o1:b", orderId: "o1" });
    await schedule(getDb(), { kind: "a", dueAt, dedupeKey: "o2:a", orderId: "o2" });
    expect(await getDb().$transaction((tx) => cancelJobs(tx, { orderId: "o1", kinds: ["a"], now: dueAt, reason: "order cancelled" }))).toBe(
      1,
    );
    const rows = await getDb().job.findMany({ orderBy: { dedupeKey: "asc" } });
    expect(rows.map((r) => [r.dedupeKey, r.status])).toEqual([
      ["o1:a", "cancelled"],
      ["o1:b", "pending"],
      ["o2:a", "pending"],
    ]);
  });

  it("should run a job again after its runner died holding it, once the lease has expired", async () => {
    await schedule(getDb(), { kind: "ping", dueAt: new Date(START), dedupeKey: "crash" });
    // A runner that claimed the job and then died: the row is running with a lease.
    await getDb().job.updateMany({
      where: { dedupeKey: "crash" },
      data: { status: "running", leasedBy: "dead/1", leasedUntil: new Date(Date.parse(START) + minutes(5)), attempts: 1 },
    });
    const ran: string[] = [];
    const { clock, runner: jobs } = runner(getDb(), { ping: async (job) => (ran.push(job.id), { type: "done" }) });
    expect(await jobs.runOnce()).toBe(0);
    clock.advance(minutes(6));
    expect(await jobs.runOnce()).toBe(1);
    expect(await getDb().job.findUniqueOrThrow({ where: { dedupeKey: "crash" } })).toMatchObject({ status: "done", attempts: 2 });
  });

  it("should keep the leases of claimed jobs waiting for a worker, so another runner does not run them too", async () => {
    for (let i = 0; i < 2; i++) await schedule(getDb(), { kind: "slow", dueAt: new Date(START), dedupeKey: `waiting:${i}` });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runs: string[] = [];
    const handler: JobHandler = async (job) => {
      runs.push(job.dedupeKey);
      if (runs.length === 1) await gate;
      return { type: "done" };
    };
    const clock = new ManualClock(START);
    // a runs one job at a time: the second waits for the first, claimed and leased for 90 ms.
    const a = runner(getDb(), { slow: handler }, { clock, instanceId: "a", concurrency: 1, leaseMs: 90 }).runner;
    const b = runner(getDb(), { slow: handler }, { clock, instanceId: "b", leaseMs: 90 }).runner;
    const pass = a.runOnce();
    await expect.poll(() => runs.length).toBe(1);
    await pastSeveralLeases(clock, () => b.runOnce());
    release();
    await pass;
    expect(runs.sort()).toEqual(["waiting:0", "waiting:1"]);
    expect(await getDb().job.count({ where: { status: "done", leasedBy: { startsWith: "a/" } } })).toBe(2);
  });

  it("should hand claimed jobs back untouched when stopped", async () => {
    for (let i = 0; i < 5; i++) await schedule(getDb(), { kind: "slow", dueAt: new Date(START), dedupeKey: `slow:${i}` });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const { runner: jobs } = runner(
      getDb(),
      {
        slow: async () => {
          started++;
          await gate;
          return { type: "done" };
        },
      },
      { concurrency: 1, pollIntervalMs: 10 },
    );
    jobs.start();
    await expect.poll(() => started).toBe(1);
    const stopped = jobs.stop();
    release();
    await stopped;
    const rows = await getDb().job.findMany();
    expect(rows.filter((r) => r.status === "done")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "pending" && r.attempts === 0 && r.leasedBy === null)).toHaveLength(4);
  });

  // Several instances share a database only on PostgreSQL (SQLite: one instance per file).
  if (provider === "postgresql") {
    it("should run each of 300 jobs exactly once with two runners at once", async () => {
      for (let i = 0; i < 300; i++) await schedule(getDb(), { kind: "count", dueAt: new Date(START), dedupeKey: `count:${i}` });
      const runs = new Map<string, number>();
      const handler: JobHandler = async (job) => {
        runs.set(job.dedupeKey, (runs.get(job.dedupeKey) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        return { type: "done" };
      };
      const clock = new ManualClock(START);
      const a = runner(getDb(), { count: handler }, { clock, instanceId: "a", batchSize: 20, pollIntervalMs: 5 }).runner;
      const b = runner(getDb(), { count: handler }, { clock, instanceId: "b", batchSize: 20, pollIntervalMs: 5 }).runner;
      a.start();
      b.start();
      await expect.poll(() => getDb().job.count({ where: { status: "done" } }), { timeout: 20_000 }).toBe(300);
      await Promise.all([a.stop(), b.stop()]);
      expect(runs.size).toBe(300);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      // Both instances did work: the claims really raced.
      expect(await getDb().job.count({ where: { leasedBy: { startsWith: "a/" } } })).toBeGreaterThan(0);
      expect(await getDb().job.count({ where: { leasedBy: { startsWith: "b/" } } })).toBeGreaterThan(0);
    });
  }
});
