import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { followUpConfig, knownCustomer, orderPayload } from "../support/follow-up-kit.js";

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** ordergram on Tuesday, November 24, 10:00 in Berlin (the example shop). */
async function start(): Promise<Harness> {
  harness = await startHarness({ clock: new ManualClock("2026-11-24T09:00:00Z"), configYaml: followUpConfig() });
  return harness;
}

/**
 * A known customer with two orders: the first confirmed and shipped with tracking, the second
 * still waiting for their confirmation.
 */
async function customerWithTwoOrders(h: Harness, languageCode: "en" | "ru") {
  const customer = await knownCustomer(h, { firstName: "Anna", languageCode });
  const phone = `+49 170 77${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;
  const who = { name: "Anna", phone, telegramUserId: customer.id, language: languageCode };
  const first = (await h.api("POST", "/orders", orderPayload({ customer: who }))).body;
  await customer.waitForMessage((m) => m.text?.includes(first.externalId) ?? false);
  await customer.tapButton(languageCode === "ru" ? "✅ Подтвердить" : "✅ Confirm");
  await expect.poll(async () => (await h.api("GET", `/orders/${first.id}`)).body.state).toBe("confirmed");
  const shipped = await h.api("POST", `/orders/${first.id}/status`, {
    status: "shipped",
    trackingNumber: "JJD000123",
    carrier: "DHL",
    expectedDate: "2026-12-02",
  });
  expect(shipped.status).toBe(200);
  const second = (await h.api("POST", "/orders", orderPayload({ customer: who }))).body;
  await expect
    .poll(async () => (await h.database.db.order.findUniqueOrThrow({ where: { id: second.id } })).chatId)
    .toBe(BigInt(customer.id));
  return { customer, first, second };
}

describe("/orders: where is my order?", () => {
  it("lists the customer's orders newest first, with status, expected date and tracking", async () => {
    const h = await start();
    const { customer, first, second } = await customerWithTwoOrders(h, "en");
    await customer.sendText("/orders");
    const list = await customer.waitForMessage((m) => m.text?.startsWith("📦 2") ?? false);
    expect(list.text).toBe(
      [
        "📦 2 recent orders",
        "",
        `Order ${second.externalId}`,
        "Status: waiting for your confirmation",
        "",
        `Order ${first.externalId}`,
        "Status: shipped",
        "Expected delivery: Wednesday, December 2.",
        "Tracking number: JJD000123 (DHL)",
      ].join("\n"),
    );
  });

  it("speaks the customer's language", async () => {
    const h = await start();
    const { customer, first, second } = await customerWithTwoOrders(h, "ru");
    await customer.sendText("/orders");
    const list = await customer.waitForMessage((m) => m.text?.startsWith("📦 2") ?? false);
    expect(list.text).toBe(
      [
        "📦 2 недавних заказа",
        "",
        `Заказ ${second.externalId}`,
        "Статус: ждёт вашего подтверждения",
        "",
        `Заказ ${first.externalId}`,
        "Статус: отправлен",
        "Ожидаемая дата доставки: среда, 2 декабря.",
        "Трек-номер: JJD000123 (DHL)",
      ].join("\n"),
    );
  });

  it("shows another customer none of them, and says politely how to link an order", async () => {
    const h = await start();
    const { first } = await customerWithTwoOrders(h, "en");
    const other = await knownCustomer(h, { firstName: "Boris" });
    await other.sendText("/orders");
    const answer = await other.waitForMessage((m) => m.text?.startsWith("You have no orders") ?? false);
    expect(answer.text).toBe(
      "You have no orders with us from the last 30 days. If you placed one, tap /start and share the phone number you ordered with: I " +
        "will find it.",
    );
    expect(answer.text).not.toContain(first.externalId);
  });

  it("answers under the shop's own name for the command", async () => {
    harness = await startHarness({
      clock: new ManualClock("2026-11-24T09:00:00Z"),
      configYaml: followUpConfig({ commands: { orders: "my_orders" } }),
    });
    const customer = await knownCustomer(harness);
    await customer.sendText("/my_orders");
    expect((await customer.waitForMessage()).text).toMatch(/^You have no orders/);
  });
});
