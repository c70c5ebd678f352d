import { afterEach, describe, expect, it } from "vitest";
import type { ManualClock } from "../../src/shared/clock.js";
import type { Harness } from "../support/app-harness.js";
import { confirmedOrder, setClock, startOnClock, waitForPlan } from "../support/follow-up-kit.js";
import { openOrderDialog } from "../support/order-payload.js";

// Rule 10 (docs/rules-of-the-trade.md; issue 16 items 6 and 7): a failed delivery attempt, a moved or a broken date come with
// concrete ways out, chosen in the chat, applied to the order and told to the shop.
// The example shop is in Europe/Berlin; couriers come Mon-Sat, 5 days ahead, windows 10-14, 14-18, 18-21.

let harness: Harness | undefined;
let clock: ManualClock;

async function start(at: string, overrides: Record<string, unknown> = {}): Promise<Harness> {
  ({ harness, clock } = await startOnClock(at, overrides));
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const wait = { timeoutMs: 5000 };
const buttonsOf = (m: { reply_markup?: { inline_keyboard: Array<Array<{ text: string }>> } } | undefined) =>
  m?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
const saturdayCourier = {
  delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: "2026-12-05", window: "10:00-14:00" },
};

describe("a failed delivery attempt", () => {
  it("offers another day, and the new day and window reach the order, its reminder and the shop", async () => {
    const h = await start("2026-12-01T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, saturdayCourier);
    setClock(h, clock, "2026-12-05T12:00:00Z");
    const posted = await h.api("POST", `/orders/${order.id}/status`, { status: "delivery_failed", failureReason: "nobody_home" });
    expect(posted.status).toBe(200);
    const failed = await customer.waitForMessage((m) => m.text?.includes("We could not deliver") ?? false, wait);
    expect(failed.text).toBe(
      `📦 Order ${order.externalId}\nWe could not deliver your order. We will get in touch to arrange another attempt.\nThe courier found ` +
        `nobody at home.\n\nWhat suits you best?`,
    );
    expect(buttonsOf(failed)).toEqual(["📅 Another day and time", "🏪 Pick it up at a pickup point", "❌ Cancel the order"]);

    await customer.tapButton("📅 Another day and time", { messageId: failed.message_id });
    const days = await customer.waitForMessage((m) => m.text?.startsWith("📅 Which day") ?? false, wait);
    // Saturday 13:00: Monday 7 December is the first courier day (Sunday is off).
    expect(buttonsOf(days)[0]).toBe("Mon, Dec 7");
    await customer.tapButton("Mon, Dec 7", { messageId: days.message_id });
    await expect
      .poll(() => buttonsOf(customer.messages.find((m) => m.message_id === days.message_id)), { timeout: 5000 })
      .toContain("14:00-18:00");
    await customer.tapButton("14:00-18:00", { messageId: days.message_id });
    await expect
      .poll(() => customer.messages.find((m) => m.message_id === days.message_id)?.text, { timeout: 5000 })
      .toBe(`✅ Done: order ${order.externalId} comes on Monday, December 7, 14:00-18:00. I will remind you before.`);

    const chosen = await h.webhooks.waitFor("order.remedy_chosen", { orderId: order.id });
    expect(chosen.body.data.remedy).toEqual({
      kind: "new_day",
      date: "2026-12-07",
      window: "14:00-18:00",
      situation: "failed",
      failureReason: "nobody_home",
    });
    expect(chosen.body.data.order.delivery).toMatchObject({ method: "courier", date: "2026-12-07", window: "14:00-18:00" });
    expect((await h.api("GET", `/orders/${order.id}`)).body.delivery).toMatchObject({
      date: "2026-12-07",
      window: "14:00-18:00",
      address: "Hauptstr. 1, 10115 Berlin",
    });
    const reminder = await h.database.db.job.findFirstOrThrow({
      where: { orderId: order.id, kind: "delivery.reminder", status: "pending" },
    });
    expect(reminder.payload).toEqual({ date: "2026-12-07", window: "14:00-18:00" });

    // Chosen once: the same buttons again are not applied a second time.
    const again = await customer.tapButton("📅 Another day and time", { messageId: failed.message_id });
    expect(again.text).toBe("This choice is no longer open for this order.");
  });

  it("takes a corrected address as the customer's next message, in their language", async () => {
    const h = await start("2026-12-01T09:00:00Z");
    const { order, customer } = await openOrderDialog(h, {
      ...saturdayCourier,
      customer: { name: "Анна", phone: "+49 170 5550001", language: "ru" },
    });
    await customer.tapButton("✅ Подтвердить");
    await waitForPlan(h, clock, order.id, "order.confirmed");
    setClock(h, clock, "2026-12-05T12:00:00Z");
    await h.api("POST", `/orders/${order.id}/status`, { status: "delivery_failed", failureReason: "wrong_address" });
    const failed = await customer.waitForMessage((m) => m.text?.includes("Не удалось доставить") ?? false, wait);
    expect(failed.text).toContain("Курьер не смог найти адрес.\n\nКак вам удобнее?");
    expect(buttonsOf(failed)).toEqual(["📅 Другой день и время", "🏪 Забрать в пункте выдачи", "✏️ Исправить адрес", "❌ Отменить заказ"]);

    await customer.tapButton("✏️ Исправить адрес", { messageId: failed.message_id });
    expect((await customer.waitForMessage(() => true, wait)).text).toMatch(/^✏️ Напишите, пожалуйста, правильный адрес доставки заказа/);
    await customer.sendText("Hauptstraße 1, Hinterhaus, 3. OG, 10115 Berlin");
    expect((await customer.waitForMessage(() => true, wait)).text).toBe(
      `✅ Спасибо! Новый адрес доставки заказа ${order.externalId}: Hauptstraße 1, Hinterhaus, 3. OG, 10115 Berlin. Магазин договорится с ` +
        `перевозчиком о новой попытке.`,
    );
    const chosen = await h.webhooks.waitFor("order.remedy_chosen", { orderId: order.id });
    expect(chosen.body.data.remedy).toMatchObject({
      kind: "address",
      address: "Hauptstraße 1, Hinterhaus, 3. OG, 10115 Berlin",
      failureReason: "wrong_address",
    });
    expect((await h.api("GET", `/orders/${order.id}`)).body.delivery.address).toBe("Hauptstraße 1, Hinterhaus, 3. OG, 10115 Berlin");
  });

  it("offers only cancelling for a parcel damaged on the way, and cancels free of charge", async () => {
    const h = await start("2026-12-01T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, saturdayCourier);
    await h.api("POST", `/orders/${order.id}/status`, { status: "delivery_failed", failureReason: "damaged" });
    const failed = await customer.waitForMessage((m) => m.text?.includes("damaged on the way") ?? false, wait);
    expect(buttonsOf(failed)).toEqual(["❌ Cancel the order"]);
    await customer.tapButton("❌ Cancel the order", { messageId: failed.message_id });
    const sure = await customer.waitForMessage((m) => m.text?.startsWith("Cancel order") ?? false, wait);
    await customer.tapButton("❌ Yes, cancel it", { messageId: sure.message_id });
    const cancelled = await h.webhooks.waitFor("order.cancelled", { orderId: order.id });
    expect(cancelled.body.data).toMatchObject({ reason: "delivery_problem", order: { state: "cancelled" } });
    expect((await h.webhooks.waitFor("order.remedy_chosen", { orderId: order.id })).body.data.remedy).toMatchObject({
      kind: "cancel",
      failureReason: "damaged",
    });
    expect(await h.database.db.job.count({ where: { orderId: order.id, status: "pending" } })).toBe(0);
    expect(await h.database.db.deliverySlot.findFirst({ where: { date: "2026-12-05", window: "10:00-14:00" } })).toMatchObject({
      booked: 0,
    });
  });
});

describe("a moved date", () => {
  it("offers a pickup point and the shop's code, and refuses another customer's taps", async () => {
    const h = await start("2026-12-01T09:00:00Z", {
      notifications: { promises: { remedies: ["pickup", "code", "cancel"], code: "SORRY-10" } },
    });
    const { order, customer } = await confirmedOrder(h, clock, saturdayCourier);
    await h.api("POST", `/orders/${order.id}/status`, { status: "in_transit", expectedDate: "2026-12-08" });
    const moved = await customer.waitForMessage((m) => m.text?.startsWith("🗓") ?? false, wait);
    expect(moved.text).toMatch(
      /moves from Saturday, December 5 to Tuesday, December 8\. We are sorry for the wait\.\n\nWhat suits you best\?$/,
    );
    expect(buttonsOf(moved)).toEqual(["🏪 Pick it up at a pickup point", "🎁 A discount code", "❌ Cancel the order"]);

    const stranger = h.addCustomer({ firstName: "Eve" });
    const forged = moved.reply_markup!.inline_keyboard[0]![0]! as { callback_data: string };
    await stranger.sendText("/start");
    const hello = await stranger.waitForMessage(() => true, wait);
    const refused = await stranger.forgeCallbackQuery(forged.callback_data, { messageId: hello.message_id });
    expect(refused).toMatchObject({ text: "This button belongs to someone else's order.", showAlert: true });
    expect(h.webhooks.received.some((w) => w.body.type === "order.remedy_chosen")).toBe(false);

    await customer.tapButton("🎁 A discount code", { messageId: moved.message_id });
    expect((await customer.waitForMessage(() => true, wait)).text).toBe("🎁 With our apologies, here is your code: SORRY-10");
    await customer.tapButton("🏪 Pick it up at a pickup point", { messageId: moved.message_id });
    const points = await customer.waitForMessage((m) => m.text?.startsWith("🏪") ?? false, wait);
    await customer.tapButton("Demo Shop, Main Street", { messageId: points.message_id });
    await expect
      .poll(() => customer.messages.find((m) => m.message_id === points.message_id)?.text, { timeout: 5000 })
      .toMatch(/^✅ Done: order \S+ goes to Demo Shop, Main Street, Hauptstr\. 10/);
    expect((await h.api("GET", `/orders/${order.id}`)).body.delivery).toMatchObject({
      method: "pickup",
      pointId: "main",
      date: null,
      window: null,
    });
    const kinds = () => h.webhooks.received.filter((w) => w.body.type === "order.remedy_chosen").map((w) => w.body.data.remedy.kind);
    await expect.poll(kinds, { timeout: 5000 }).toEqual(["code", "pickup"]);
  });
});
