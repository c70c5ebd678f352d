import Database from "better-sqlite3";
import { beforeEach, expect, it } from "vitest";
import type { Db } from "../../src/db/create-prisma-client.js";
import { leasedRows } from "../../src/db/leased-rows.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import { pastSeveralLeases } from "../support/past-several-leases.js";
import { createTestDatabase, describeEachDatabase } from "../support/test-database.js";

const START = "2026-11-23T10:00:00.000Z";
const logger = createLogger({ level: "silent" });

/** One worker's view of the job table; leases of 90 ms, renewed every 30 ms of real time while held. */
const workerOf = (db: Db, instanceId: string, clock: ManualClock) =>
  leasedRows({ db, table: "job", clock, logger, leaseMs: 90, instanceId, what: "job" });

const addJobs = (db: Db, clock: ManualClock, ids: string[]) =>
  db.job.createMany({ data: ids.map((id) => ({ id, kind: "test", dueAt: clock.now(), dedupeKey: `test:${id}` })) });

describeEachDatabase("leased rows", (getDb) => {
  beforeEach(async () => {
    await getDb().job.deleteMany();
  });

  it("should give a due row to one worker only, and to another once the first one's lease ran out", async () => {
    const clock = new ManualClock(START);
    const [a, b] = [workerOf(getDb(), "a", clock), workerOf(getDb(), "b", clock)];
    await addJobs(getDb(), clock, ["j1", "j2"]);
    const first = await a.claim({ where: { kind: "test" }, now: clock.now(), orderBy: [{ id: "asc" }] });
    expect(first?.rows.map((row) => row.id)).toEqual(["j1", "j2"]);
    expect((await b.claim({ where: { kind: "test" }, now: clock.now() }))?.rows).toEqual([]);

    // Never renewed (a died): once the lease ran out, b takes the rows, and a's late write changes nothing.
    clock.advance(100);
    const second = await b.claim({ where: { kind: "test" }, now: clock.now() });
    expect(second?.rows).toHaveLength(2);
    expect(await a.finish("j1", first!.token, { status: "done" })).toBe(false);
    expect(await b.finish("j1", second!.token, { status: "done" })).toBe(true);
    expect(await getDb().job.findUnique({ where: { id: "j1" }, select: { status: true, leasedUntil: true } })).toEqual({
      status: "done",
      leasedUntil: null,
    });
  });

  it("should keep a held claim's leases alive, so no other worker takes its rows", async () => {
    const clock = new ManualClock(START);
    const [a, b] = [workerOf(getDb(), "a", clock), workerOf(getDb(), "b", clock)];
    await addJobs(getDb(), clock, ["j1"]);
    const claimed = await a.claim({ where: { kind: "test" }, now: clock.now() });
    const release = a.hold(claimed!.token);
    try {
      await pastSeveralLeases(clock, async () => expect((await b.claim({ where: { kind: "test" }, now: clock.now() }))?.rows).toEqual([]));
      expect(await a.fence("j1", claimed!.token, { attempts: { increment: 1 } })).toBe(true);
    } finally {
      release();
    }
  });

  it("should hand released rows back pending, their lease cleared, for the next claim", async () => {
    const clock = new ManualClock(START);
    const [a, b] = [workerOf(getDb(), "a", clock), workerOf(getDb(), "b", clock)];
    await addJobs(getDb(), clock, ["j1", "j2"]);
    const claimed = await a.claim({ where: { kind: "test" }, now: clock.now() });
    expect(await a.release(["j1", "j2"], claimed!.token, { attempts: 0 })).toBe(2);
    expect(await getDb().job.count({ where: { status: "pending", leasedBy: null, leasedUntil: null } })).toBe(2);
    expect((await b.claim({ where: { kind: "test" }, now: clock.now() }))?.rows).toHaveLength(2);
  });
});

it(
  "should report a claim that finds SQLite locked by another writer as lost, for the worker to look again",
  { timeout: 30_000 },
  async () => {
    const database = await createTestDatabase("sqlite");
    try {
      const clock = new ManualClock(START);
      await addJobs(database.db, clock, ["j1"]);
      // Another connection holds the write lock past busy_timeout (5 s).
      const other = new Database(database.url.replace(/^file:/, ""));
      other.exec("BEGIN IMMEDIATE");
      try {
        expect(await workerOf(database.db, "a", clock).claim({ where: { kind: "test" }, now: clock.now() })).toBeNull();
      } finally {
        other.exec("ROLLBACK");
        other.close();
      }
      expect((await workerOf(database.db, "a", clock).claim({ where: { kind: "test" }, now: clock.now() }))?.rows).toHaveLength(1);
    } finally {
      await database.close();
    }
  },
);
