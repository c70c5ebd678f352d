import { afterEach, describe, expect, it } from "vitest";
import type { ManualClock } from "../../src/shared/clock.js";
import type { Harness } from "../support/app-harness.js";
import { confirmedOrder, managersGroup, managerTakes, setClock, startOnClock, waitForPlan } from "../support/follow-up-kit.js";
import { openOrderDialog } from "../support/order-payload.js";

// Rule 8 (docs/rules-of-the-trade.md): every date the customer was told is a promise, kept, moved (told as a move) or broken
// (an apology), each once and only when true; reminders follow the promise as it is now.
// The example shop is in Europe/Berlin (UTC+1 in November and December), contact hours 09-21.

let harness: Harness | undefined;
let clock: ManualClock;

async function start(
  at: string,
  overrides: Record<string, unknown> = {},
  prepare?: ReturnType<typeof managersGroup>["prepare"],
): Promise<Harness> {
  ({ harness, clock } = await startOnClock(at, overrides, prepare));
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const wait = { timeoutMs: 5000 };
const texts = (messages: Array<{ text?: string }>) => messages.map((m) => m.text ?? "");
const buttonsOf = (m: { reply_markup?: { inline_keyboard: Array<Array<{ text: string }>> } } | undefined) =>
  m?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
const promisesOf = async (h: Harness, orderId: string) =>
  (await h.database.db.orderPromise.findMany({ where: { orderId }, orderBy: { madeAt: "asc" } })).map((p) => [
    p.dueDate,
    p.source,
    p.status,
  ]);
const pendingReminders = async (h: Harness, orderId: string) =>
  (await h.database.db.job.findMany({ where: { orderId, kind: "delivery.reminder", status: "pending" } })).map((job) => [
    job.payload,
    job.dueAt.toISOString(),
  ]);

/** Saturday 5 December 10:00-14:00 by courier, agreed on Tuesday 1 December. */
const saturdayCourier = {
  delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: "2026-12-05", window: "10:00-14:00" },
};

describe("a later date announced before the promised one", () => {
  it("is told as a move, once, and the reminder follows it", async () => {
    const h = await start("2026-12-01T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, saturdayCourier);
    // 3 hours before 10:00 is 07:00, in quiet hours: the reminder goes the evening before, at 20:00.
    expect(await pendingReminders(h, order.id)).toEqual([[{ date: "2026-12-05", window: "10:00-14:00" }, "2026-12-04T19:00:00.000Z"]]);

    setClock(h, clock, "2026-12-02T10:00:00Z"); // Wednesday: Saturday has not come
    const posted = await h.api("POST", `/orders/${order.id}/status`, {
      status: "in_transit",
      expectedDate: "2026-12-07",
      trackingNumber: "JD0123",
      carrier: "DHL",
    });
    expect(posted.status).toBe(200);
    const moved = await customer.waitForMessage((m) => m.text?.startsWith("🗓") ?? false, wait);
    expect(moved.text).toBe(
      `🗓 Anna, the delivery of your order ${order.externalId} moves from Saturday, December 5 to Monday, December 7. We are sorry for ` +
        `the wait.\n\nWhat suits you best?`,
    );
    expect(buttonsOf(moved)).toEqual(["📅 Another day and time", "🏪 Pick it up at a pickup point", "❌ Cancel the order"]);
    const status = await customer.waitForMessage((m) => m.text?.includes("on its way") ?? false, wait);
    expect(status.text).toContain("Expected delivery: Monday, December 7.");
    expect(status.text).toContain("Tracking number: JD0123 (DHL)");

    // The same date again, with the status unchanged: nothing new to tell.
    await h.api("POST", `/orders/${order.id}/status`, { status: "in_transit", expectedDate: "2026-12-07" });
    expect(await promisesOf(h, order.id)).toEqual([
      ["2026-12-05", "agreed", "moved"],
      ["2026-12-07", "shop", "open"],
    ]);
    // The old reminder is gone; the new day is reminded at its opening.
    expect(await pendingReminders(h, order.id)).toEqual([[{ date: "2026-12-07", window: null }, "2026-12-07T08:00:00.000Z"]]);

    // Saturday passes without an apology: the promise is Monday now.
    setClock(h, clock, "2026-12-06T12:00:00Z");
    await expect.poll(() => h.database.db.job.count({ where: { orderId: order.id, kind: "promise.check", status: "pending" } })).toBe(1);
    setClock(h, clock, "2026-12-07T08:00:00Z");
    const reminder = await customer.waitForMessage((m) => m.text?.startsWith("🚚") ?? false, wait);
    expect(reminder.text).toContain(`your order ${order.externalId} arrives Monday, December 7.`);
    expect(texts(customer.messages).filter((t) => t.startsWith("🗓") || t.startsWith("😔"))).toHaveLength(1);
  });

  it("is told as a move when only the date changes, in the customer's language", async () => {
    const h = await start("2026-12-01T09:00:00Z");
    const { order, customer } = await openOrderDialog(h, {
      ...saturdayCourier,
      customer: { name: "Анна", phone: "+49 170 5550001", language: "ru" },
    });
    await customer.tapButton("✅ Подтвердить");
    await waitForPlan(h, clock, order.id, "order.confirmed");
    await h.api("POST", `/orders/${order.id}/status`, { status: "shipped" });
    await customer.waitForMessage((m) => m.text?.startsWith("📦") ?? false, wait);
    const repeat = await h.api("POST", `/orders/${order.id}/status`, { status: "shipped", expectedDate: "2026-12-08" });
    expect(repeat.body).toMatchObject({ changed: false });
    const moved = await customer.waitForMessage((m) => m.text?.startsWith("🗓") ?? false, wait);
    expect(moved.text).toBe(
      `🗓 Анна, доставка заказа ${order.externalId} переносится. Прежняя дата: суббота, 5 декабря. Новая дата: вторник, 8 декабря. ` +
        `Простите за ожидание.\n\nКак вам удобнее?`,
    );
  });
});

describe("an earlier date from the shop", () => {
  it("leaves the promise as agreed, so no apology comes before the promised day", async () => {
    const h = await start("2026-12-01T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, saturdayCourier);
    await h.api("POST", `/orders/${order.id}/status`, { status: "shipped", expectedDate: "2026-12-02" });
    await customer.waitForMessage((m) => m.text?.startsWith("📦") ?? false, wait);
    expect(await promisesOf(h, order.id)).toEqual([["2026-12-05", "agreed", "open"]]);

    // Wednesday evening, and Thursday: the carrier's date has passed, the promise has not.
    setClock(h, clock, "2026-12-03T12:00:00Z");
    const check = await h.database.db.job.findFirstOrThrow({ where: { orderId: order.id, kind: "promise.check", status: "pending" } });
    expect(check.dueAt.toISOString()).toBe("2026-12-05T13:00:00.000Z"); // Saturday 14:00, the window's end
    expect(texts(customer.messages).filter((t) => t.startsWith("😔"))).toEqual([]);
  });
});

describe("post", () => {
  it("records the quoted estimate as a promise and reminds on its last day", async () => {
    const h = await start("2026-12-01T09:00:00Z"); // Tuesday; post takes "usually 3-5 working days"
    const { order } = await confirmedOrder(h, clock, { delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin" } });
    expect(await promisesOf(h, order.id)).toEqual([["2026-12-08", "estimate", "open"]]);
    expect(await pendingReminders(h, order.id)).toEqual([[{ date: "2026-12-08", window: null }, "2026-12-08T08:00:00.000Z"]]);
  });

  it("apologises for a missed estimate as an estimate, not as a promise", async () => {
    const h = await start("2026-12-01T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, { delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin" } });
    setClock(h, clock, "2026-12-08T20:00:00Z"); // Tuesday 21:00: the day is over
    await expect
      .poll(() => h.database.db.orderPromise.count({ where: { orderId: order.id, status: "broken" } }), { timeout: 5000 })
      .toBe(1);
    setClock(h, clock, "2026-12-09T08:00:00Z"); // the apology waits for Wednesday's opening
    const apology = await customer.waitForMessage((m) => m.text?.startsWith("😔") ?? false, wait);
    expect(apology.text).toMatch(
      new RegExp(`^😔 We are sorry, Anna: your order ${order.externalId} has not arrived by Tuesday, December 8, as we expected it to\\.`),
    );
  });
});

describe("a status held while a person has the chat", () => {
  it("reaches the customer after the hand back, with its tracking number, once", async () => {
    const setup = managersGroup();
    const h = await start("2026-12-01T09:00:00Z", { notifications: { promises: { graceHours: 2 } } }, setup.prepare);
    const { order, customer } = await confirmedOrder(h, clock, saturdayCourier);
    await h.database.db.job.updateMany({
      where: { orderId: order.id, kind: "promise.check", status: "pending" },
      data: { status: "cancelled" },
    }); // only the late date may judge it here
    // Sunday night, Saturday gone by: the shop posts the tracking number and a later date. The
    // promise is broken: the apology and the status wait for the morning, and the chat goes to a
    // person at once, so the status is held when its time comes.
    setClock(h, clock, "2026-12-06T21:30:00Z");
    await h.api("POST", `/orders/${order.id}/status`, {
      status: "shipped",
      trackingNumber: "JD0123",
      carrier: "DHL",
      expectedDate: "2026-12-08",
    });
    const card = await managerTakes(setup.managers, order.externalId);
    setClock(h, clock, "2026-12-07T08:00:00Z");
    const apology = await customer.waitForMessage((m) => m.text?.startsWith("😔") ?? false, wait);
    expect(apology.text).toContain("The new estimate is Tuesday, December 8.");
    await expect
      .poll(
        () =>
          h.database.db.outboxMessage.findFirst({ where: { idempotencyKey: `order:${order.id}:status:1` } }).then((row) => row?.skipCode),
        { timeout: 5000 },
      )
      .toBe("with_person");
    expect(texts(customer.messages).some((t) => t.includes("JD0123"))).toBe(false);

    await setup.managers.maria.tapButton("↩️ Hand back", { chat: setup.managers.group, messageId: card.message_id, ...wait });
    const status = await customer.waitForMessage((m) => (m.text?.startsWith("📦") ?? false) && m.text!.includes("JD0123"), wait);
    expect(status.text).toContain("Your order has been shipped.");
    expect(texts(customer.messages).filter((t) => t.includes("JD0123"))).toHaveLength(1);
  });

  it("tells the moves made meanwhile as one, from the date the customer knew to the date promised now", async () => {
    const setup = managersGroup();
    const h = await start("2026-12-01T09:00:00Z", {}, setup.prepare);
    const { order, customer } = await confirmedOrder(h, clock, saturdayCourier);
    await customer.sendText("/help");
    await customer.waitForMessage(() => true, wait);
    await customer.tapButton("🙋 Talk to a person");
    const card = await managerTakes(setup.managers, order.externalId);
    await h.api("POST", `/orders/${order.id}/status`, { status: "in_transit", expectedDate: "2026-12-07" });
    await h.api("POST", `/orders/${order.id}/status`, { status: "in_transit", expectedDate: "2026-12-09" });
    await expect
      .poll(
        () =>
          h.database.db.outboxMessage.count({
            where: { orderId: order.id, idempotencyKey: { contains: "promise_moved" }, status: "skipped" },
          }),
        { timeout: 5000 },
      )
      .toBe(2);
    expect(texts(customer.messages).some((t) => t.startsWith("🗓"))).toBe(false);

    await setup.managers.maria.tapButton("↩️ Hand back", { chat: setup.managers.group, messageId: card.message_id, ...wait });
    const moved = await customer.waitForMessage((m) => m.text?.startsWith("🗓") ?? false, wait);
    expect(moved.text).toBe(
      `🗓 Anna, the delivery of your order ${order.externalId} moves from Saturday, December 5 to Wednesday, December 9. We are sorry for ` +
        `the wait.\n\nWhat suits you best?`,
    );
    expect(texts(customer.messages).filter((t) => t.startsWith("🗓"))).toHaveLength(1);
    expect(texts(customer.messages).filter((t) => t.includes("Your order is on its way."))).toHaveLength(1);
  });
});
