import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { startHarness, testStartTime, type Harness } from "../support/app-harness.js";
import { openOrderDialog } from "../support/order-payload.js";

let harness: Harness;
const clock = new ManualClock(testStartTime);
beforeAll(async () => {
  harness = await startHarness({ clock });
});
afterAll(async () => {
  await harness.close();
});

async function deliveriesOf(orderId: string) {
  const response = await harness.api("GET", `/webhooks?orderId=${orderId}`);
  expect(response.status).toBe(200);
  return response.body.deliveries as Array<{ id: string; event: string; status: string; attempts: number; lastError: string | null }>;
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("webhooks the shop's endpoint did not take", () => {
  it("shows a webhook being retried with its error, and delivers it when the endpoint is back", async () => {
    harness.webhooks.responses = [500];
    const { order, customer } = await openOrderDialog(harness);
    await customer.tapButton("✅ Confirm");
    const failing = await until(
      () => deliveriesOf(order.id),
      (rows) => rows.some((r) => r.attempts === 1 && r.lastError !== null),
    );
    expect(failing).toEqual([
      expect.objectContaining({ event: "order.confirmed", status: "pending", attempts: 1, lastError: expect.stringContaining("500") }),
    ]);
    expect(harness.webhooks.ofType("order.confirmed")).toHaveLength(0);

    clock.advance(5 * 60_000);
    const delivered = await harness.webhooks.waitFor("order.confirmed", { orderId: order.id });
    expect(delivered.headers["x-ordergram-delivery"]).toBe(failing[0]!.id);
    const after = await until(
      () => deliveriesOf(order.id),
      (rows) => rows[0]?.status === "sent",
    );
    expect(after[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("sends a failed webhook again on request, and refuses to re-send one that did not fail", async () => {
    harness.webhooks.responses = [];
    const { order, customer } = await openOrderDialog(harness);
    await customer.tapButton("🙋 Talk to a person");
    const [sent] = await until(
      () => deliveriesOf(order.id),
      (rows) => rows[0]?.status === "sent",
    );
    expect((await harness.api("POST", `/webhooks/${sent!.id}/retry`)).status).toBe(409);

    // The outbox gave up on it (what happens after three days of failures).
    await harness.database.db.outboxMessage.update({ where: { id: sent!.id }, data: { status: "failed", lastError: "HTTP 503" } });
    expect((await harness.api("GET", "/webhooks?status=failed")).body.deliveries.map((d: { id: string }) => d.id)).toContain(sent!.id);
    const retry = await harness.api("POST", `/webhooks/${sent!.id}/retry`);
    expect(retry).toEqual({ status: 202, body: { id: sent!.id, status: "pending" } });
    await until(
      async () => harness.webhooks.ofType("order.escalated").filter((w) => w.body.data.order.id === order.id).length,
      (count) => count === 2,
    );
    expect(harness.webhooks.ofType("order.escalated").filter((w) => w.body.data.order.id === order.id)).toHaveLength(2);
    expect((await harness.api("POST", "/webhooks/nope/retry")).status).toBe(404);
  });

  it("tells the shop when the customer has blocked the bot", async () => {
    const customer = harness.addCustomer();
    await customer.sendText("/start");
    await customer.waitForMessage();
    customer.block();
    const response = await harness.api("POST", "/orders", {
      externalId: `BLK-${Date.now()}`,
      customer: { name: "Blocked", telegramUserId: customer.id },
      currency: "EUR",
      items: [{ sku: "A", name: "A", quantity: 1, unitPrice: "1.00" }],
    });
    const webhook = await harness.webhooks.waitFor("customer.unreachable");
    expect(webhook.body.data).toMatchObject({ order: { id: response.body.id }, customer: { name: "Blocked" } });
    const order = await harness.api("GET", `/orders/${response.body.id}`);
    expect(order.body.history.map((h: { type: string }) => h.type)).toContain("customer.unreachable");
  });
});
