import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { followUpConfig, knownCustomer, waitForPlan } from "../support/follow-up-kit.js";
import { openOrderDialog, orderPayload } from "../support/order-payload.js";

const minute = 60_000;

describe("app.drain(): what a test awaits before asserting that nothing more happens", () => {
  // Tuesday 24 November 2026, 10:00 in Berlin: within contact hours.
  const clock = new ManualClock("2026-11-24T09:00:00Z");
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ clock, configYaml: followUpConfig({ notifications: { nudges: { afterMinutes: 60, count: 1 } } }) });
  });
  afterAll(() => harness.close());

  it("resolves once what the API queued has reached the customer", async () => {
    const customer = await knownCustomer(harness, { firstName: "Drained" });
    const payload = orderPayload({ customer: { name: "Drained", telegramUserId: customer.id } });
    const created = await harness.api("POST", "/orders", payload);
    expect(created.status).toBe(201);
    await harness.app.drain();
    // No waiting here: the read-back is there the moment drain() resolves.
    expect(customer.messages.filter((msg) => msg.text?.includes(`Order ${payload.externalId}`))).toHaveLength(1);
    const undone = await harness.database.db.outboxMessage.count({
      where: { status: { in: ["pending", "sending"] }, nextAttemptAt: { lte: clock.now() } },
    });
    expect(undone).toBe(0);
  });

  it("runs the jobs that fell due, and sends what they queued, without being kicked", async () => {
    const { order, customer } = await openOrderDialog(harness);
    await waitForPlan(harness, clock, order.id, "order.awaiting");
    // The clock passes the nudge's time; nobody wakes the scheduler: drain() runs what is due.
    clock.advance(60 * minute);
    await harness.app.drain();
    expect(customer.messages.filter((msg) => msg.text?.startsWith("⏰"))).toHaveLength(1);
  });
});
