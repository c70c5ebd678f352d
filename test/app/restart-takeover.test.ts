import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog } from "../support/order-payload.js";

/** On SQLite one instance holds the database: a restart after kill -9 does not wait out the dead one's leases. */
describe("a restart on SQLite takes over at once what a dead instance had claimed", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ provider: "sqlite" });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("sends a message a killed instance had claimed right after the restart, not when its lease runs out", async () => {
    const { order, customer } = await openOrderDialog(harness);
    const before = customer.messages.length;
    // What a process killed mid-send leaves: the row claimed, its lease minutes ahead.
    await harness.database.db.outboxMessage.create({
      data: {
        id: "claimed-by-a-dead-instance",
        channel: "telegram",
        idempotencyKey: "claimed-by-a-dead-instance",
        chatId: BigInt(customer.id),
        orderId: order.id,
        payload: { intent: { kind: "order.read_back", orderId: order.id, reason: "updated" } },
        status: "sending",
        attempts: 1,
        nextAttemptAt: new Date("2020-01-01T00:00:00Z"),
        leasedBy: "a-dead-instance",
        leasedUntil: new Date("2099-01-01T00:00:00Z"),
      },
    });
    await harness.restart();
    const resent = await customer.waitForMessage((m) => customer.messages.indexOf(m) >= before, { timeoutMs: 5000 });
    expect(resent.text).toContain("Is everything correct?");
    await expect
      .poll(async () => (await harness.database.db.outboxMessage.findUniqueOrThrow({ where: { id: "claimed-by-a-dead-instance" } })).status)
      .toBe("sent");
  });
});
