import { expect, it } from "vitest";
import { bookDeliverySlot, bookedSlots, releaseDeliverySlot } from "../../src/db/delivery-slot-repository.js";
import { withTransaction } from "../../src/db/transaction.js";
import { describeEachDatabase } from "../support/test-database.js";

describeEachDatabase("places in a courier window", (getDb) => {
  it("never gives more places than the window has, however many customers book at once", async () => {
    const slot = { date: "2026-12-01", window: "10:00-14:00", capacity: 3 };
    const results = await Promise.all(Array.from({ length: 12 }, () => withTransaction(getDb(), (tx) => bookDeliverySlot(tx, slot))));
    expect(results.filter(Boolean)).toHaveLength(3);
    expect((await bookedSlots(getDb(), ["2026-12-01"])).get("2026-12-01|10:00-14:00")).toBe(3);
  });

  it("frees a place when a customer changes their mind, and never goes below zero", async () => {
    const slot = { date: "2026-12-02", window: "14:00-18:00", capacity: 1 };
    expect(await bookDeliverySlot(getDb(), slot)).toBe(true);
    expect(await bookDeliverySlot(getDb(), slot)).toBe(false);
    await releaseDeliverySlot(getDb(), slot);
    await releaseDeliverySlot(getDb(), slot);
    expect((await bookedSlots(getDb(), ["2026-12-02"])).get("2026-12-02|14:00-18:00")).toBe(0);
    expect(await bookDeliverySlot(getDb(), slot)).toBe(true);
  });
});
