import { beforeEach, expect, it } from "vitest";
import type { Db } from "../../src/db/create-prisma-client.js";
import { inboundUpdateJournal } from "../../src/db/inbound-update-journal.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import { pastSeveralLeases } from "../support/past-several-leases.js";
import { describeEachDatabase } from "../support/test-database.js";

const START = "2026-11-23T10:00:00.000Z";
const logger = createLogger({ level: "silent" });

/** One instance's journal; leases of 90 ms, renewed every 30 ms of real time. */
const journalOf = (db: Db, instanceId: string, clock: ManualClock) =>
  inboundUpdateJournal(db, { instanceId, now: () => clock.now(), leaseMs: 90, logger });

describeEachDatabase("the inbound update journal", (getDb) => {
  beforeEach(async () => {
    await getDb().inboundUpdate.deleteMany();
  });

  it("should never let another instance take an update its living instance has in hand", async () => {
    const clock = new ManualClock(START);
    const a = journalOf(getDb(), "a", clock);
    const b = journalOf(getDb(), "b", clock);
    expect(await a.record([{ update_id: 1 }])).toEqual([{ update_id: 1 }]);
    await pastSeveralLeases(clock, async () => expect(await b.takeOverUnfinished("abandoned")).toEqual([]));
    await a.markHandled(1);
    clock.advance(1000);
    expect(await b.takeOverUnfinished("abandoned")).toEqual([]);
  });

  it("should let another instance take an update over once the lease of its dead instance ran out", async () => {
    const clock = new ManualClock(START);
    const b = journalOf(getDb(), "b", clock);
    // What a killed instance leaves: recorded, leased for one more lease, never handled.
    await getDb().inboundUpdate.create({
      data: {
        updateId: 2n,
        payload: { update_id: 2 },
        receivedAt: clock.now(),
        receivedBy: "dead",
        leasedUntil: new Date(clock.now().getTime() + 90),
      },
    });
    expect(await b.takeOverUnfinished("abandoned")).toEqual([]);
    clock.advance(100);
    expect(await b.takeOverUnfinished("abandoned")).toEqual([{ update_id: 2 }]);
    // Now b's, leased and renewed: a third instance does not take it from b.
    const c = journalOf(getDb(), "c", clock);
    await pastSeveralLeases(clock, async () => expect(await c.takeOverUnfinished("abandoned")).toEqual([]));
    await b.markHandled(2);
  });

  it("should take every unfinished update at once when the instance is alone (the SQLite lock)", async () => {
    const clock = new ManualClock(START);
    await getDb().inboundUpdate.create({
      data: {
        updateId: 3n,
        payload: { update_id: 3 },
        receivedAt: clock.now(),
        receivedBy: "dead",
        leasedUntil: new Date(clock.now().getTime() + 60_000),
      },
    });
    const alone = journalOf(getDb(), "alone", clock);
    expect(await alone.takeOverUnfinished("all")).toEqual([{ update_id: 3 }]);
    await alone.markHandled(3);
  });
});
