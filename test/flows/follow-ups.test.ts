import { afterEach, describe, expect, it } from "vitest";
import type { ManualClock } from "../../src/shared/clock.js";
import type { Harness } from "../support/app-harness.js";
import {
  advance,
  confirmedOrder,
  isOrderCard,
  knownCustomer,
  managersGroup,
  managerTakes,
  setClock,
  startOnClock,
  waitForPlan,
} from "../support/follow-up-kit.js";
import { openOrderDialog, orderPayload } from "../support/order-payload.js";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

let harness: Harness | undefined;
let clock: ManualClock;

/** ordergram at `at` (UTC; the example shop is in Europe/Berlin, UTC+1 in November). */
async function start(
  at: string,
  overrides: Record<string, unknown> = {},
  prepare?: ReturnType<typeof managersGroup>["prepare"],
): Promise<Harness> {
  ({ harness, clock } = await startOnClock(at, overrides, prepare));
  return harness;
}

const wait = { timeoutMs: 5000 };
const poll = { timeout: 5000 };
const buttonsOf = (m: { reply_markup?: { inline_keyboard: Array<Array<{ text: string }>> } } | undefined) =>
  m?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const texts = (messages: Array<{ text?: string }>) => messages.map((m) => m.text ?? "");

/** Manager 4242 has the order's chat: a taken handoff, as the database holds it (who has the chat follows from it). */
async function manager4242HasTheChat(h: Harness, orderId: string): Promise<void> {
  const { chatId } = await h.database.db.order.findUniqueOrThrow({ where: { id: orderId }, select: { chatId: true } });
  await h.database.db.handoff.create({
    data: {
      id: `handoff-4242-${orderId}`,
      chatId: chatId!,
      orderId,
      reason: "manager_initiated",
      state: "taken",
      managerId: 4242n,
      managerName: "Max",
      createdAt: new Date(),
      takenAt: new Date(),
    },
  });
}

describe("contact hours", () => {
  it("reads a night order back after opening, not at night and not at the stroke of nine", async () => {
    const h = await start("2026-11-24T01:30:00Z"); // 02:30 in Berlin
    const anna = await knownCustomer(h, { firstName: "Anna" });
    const created = await h.api(
      "POST",
      "/orders",
      orderPayload({ customer: { name: "Anna", phone: "+49 170 5550001", telegramUserId: anna.id } }),
    );
    expect(created.status).toBe(201);

    const queued = await h.database.db.outboxMessage.findFirstOrThrow({ where: { orderId: created.body.id, channel: "telegram" } });
    const opening = Date.parse("2026-11-24T08:00:00Z"); // 09:00 in Berlin
    expect(queued.status).toBe("pending");
    expect(queued.nextAttemptAt.getTime()).toBeGreaterThan(opening);
    expect(queued.nextAttemptAt.getTime()).toBeLessThanOrEqual(opening + 30 * minute);
    expect(anna.messages).toHaveLength(2); // her /start and its answer: nothing at night

    setClock(h, clock, queued.nextAttemptAt.toISOString());
    const readBack = await anna.waitForMessage();
    expect(readBack.text).toMatch(/^Good morning, Anna! This is Demo Shop, manager Anna\./);
    expect(readBack.text).toContain(`Order ${created.body.externalId}`);
  });
});

describe("an order the customer does not answer", () => {
  it("gets a nudge after an hour, a second one, and then goes to a manager", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer, readBack } = await openOrderDialog(h);
    await waitForPlan(h, clock, order.id, "order.awaiting");

    advance(h, clock, 59 * minute); // an hour after the read-back
    const first = await customer.waitForMessage();
    expect(first.text).toMatch(
      /^⏰ Anna, your order A-\S+ is still waiting for your confirmation\. Here it is again:\n\nOrder A-\S+\n1\. Green tea: 2 × €4\.50/,
    );
    expect(first.text).toContain("Is everything correct?");
    expect(first.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain("✅ Confirm");
    // Only the newest message carries the buttons.
    await expect.poll(() => customer.messages.find((m) => m.message_id === readBack.message_id)?.reply_markup).toBeUndefined();

    advance(h, clock, hour);
    expect((await customer.waitForMessage()).text).toContain("is still waiting for your confirmation");

    advance(h, clock, hour);
    const escalated = await h.webhooks.waitFor("order.escalated", { orderId: order.id });
    expect(escalated.body.data).toMatchObject({ reason: "no_answer_to_nudges", order: { dialog: { owner: "waiting_manager" } } });
    expect(texts(customer.messages).filter((t) => t.includes("still waiting"))).toHaveLength(2);
  });

  it("waits again when the customer did something in the meantime", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await openOrderDialog(h);
    await waitForPlan(h, clock, order.id, "order.awaiting");
    advance(h, clock, 30 * minute);
    await customer.tapButton("✏️ Change something");
    await customer.tapButton("Change a quantity");
    await customer.tapButton("1. Green tea × 2");
    await customer.tapButton("3");
    advance(h, clock, 30 * minute); // the nudge's time, but she changed the order half an hour ago
    await expect
      .poll(() => h.database.db.job.findFirst({ where: { dedupeKey: `order.nudge:${order.id}:1` } }).then((j) => j?.dueAt.getTime()))
      .toBe(clock.now().getTime() + 30 * minute);
    advance(h, clock, 30 * minute);
    expect((await customer.waitForMessage((m) => m.text?.includes("still waiting") ?? false)).text).toContain("still waiting");
  });
});

describe("automatic cancellation (off by default)", () => {
  it("cancels an order the customer never answered after the configured hours, and tells both sides", async () => {
    const h = await start("2026-11-24T09:00:00Z", { notifications: { autoCancelAfterHours: 3, nudges: { count: 5 } } });
    const { order, customer } = await openOrderDialog(h);
    await waitForPlan(h, clock, order.id, "order.awaiting");
    advance(h, clock, 3 * hour);
    const cancelled = await h.webhooks.waitFor("order.cancelled", { orderId: order.id });
    expect(cancelled.body.data).toMatchObject({ reason: "no_answer", order: { state: "cancelled" } });
    const told = await customer.waitForMessage((m) => m.text?.includes("has been cancelled") ?? false);
    expect(told.text).toBe(
      `Your order ${order.externalId} has been cancelled because we did not hear from you. If you still want it, just write to us here.`,
    );
  });

  it("waits while a manager has the chat, unless the owner lets it go ahead beside the manager", async () => {
    const held = await start("2026-11-24T09:00:00Z", { notifications: { autoCancelAfterHours: 3, nudges: { count: 5 } } });
    const first = await openOrderDialog(held);
    await waitForPlan(held, clock, first.order.id, "order.awaiting");
    await manager4242HasTheChat(held, first.order.id);
    advance(held, clock, 3 * hour);
    await expect
      .poll(
        () =>
          held.database.db.job
            .findFirst({ where: { orderId: first.order.id, kind: "order.auto_cancel" } })
            .then((j) => [j?.skipCode, j?.lastError]),
        poll,
      )
      .toEqual(["with_person", "skipped: the chat is with manager:4242"]);
    expect((await held.api("GET", `/orders/${first.order.id}`)).body.state).toBe("awaiting_customer");
    await held.close();

    const h = await start("2026-11-24T09:00:00Z", {
      notifications: { autoCancelAfterHours: 3, nudges: { count: 5 }, whileManagerHasChat: ["delivery_reminder", "auto_cancel"] },
    });
    const { order, customer } = await openOrderDialog(h);
    await waitForPlan(h, clock, order.id, "order.awaiting");
    await manager4242HasTheChat(h, order.id);
    advance(h, clock, 3 * hour);
    expect((await h.webhooks.waitFor("order.cancelled", { orderId: order.id })).body.data).toMatchObject({
      reason: "no_answer",
      order: { state: "cancelled" },
    });
    expect((await customer.waitForMessage((m) => m.text?.includes("has been cancelled") ?? false, wait)).text).toContain(
      `Your order ${order.externalId} has been cancelled`,
    );
  });
});

describe("while a manager has the chat", () => {
  it("sends no status news, but still the delivery reminder", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, {
      delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: "2026-11-26", window: "14:00-18:00" },
    });
    await manager4242HasTheChat(h, order.id);
    expect((await h.api("POST", `/orders/${order.id}/status`, { status: "shipped" })).body).toMatchObject({
      changed: true,
      messaged: false,
    });
    setClock(h, clock, "2026-11-26T10:00:00Z");
    expect((await customer.waitForMessage()).text).toContain("🚚 A reminder, Anna");
    expect(texts(customer.messages).some((t) => t.includes("has been shipped"))).toBe(false);
  });

  it("thanks the customer and asks for the rating once the manager hands the chat back, when the parcel arrived meanwhile", async () => {
    const setup = managersGroup();
    const h = await start("2026-11-24T09:00:00Z", {}, setup.prepare);
    const { order, customer } = await confirmedOrder(h, clock);
    await customer.sendText("/help");
    await customer.waitForMessage(() => true, wait);
    await customer.tapButton("🙋 Talk to a person");
    const card = await managerTakes(setup.managers, order.externalId);
    await customer.waitForMessage((m) => m.text === "Maria from Demo Shop is with you now and will help you here.", wait);

    expect((await h.api("POST", `/orders/${order.id}/status`, { status: "shipped" })).body).toMatchObject({
      changed: true,
      messaged: false,
    });
    expect((await h.api("POST", `/orders/${order.id}/status`, { status: "delivered" })).body).toMatchObject({
      changed: true,
      messaged: false,
    });
    await expect.poll(() => h.database.db.orderEvent.count({ where: { orderId: order.id, type: "delivery.status" } })).toBe(2);
    expect(texts(customer.messages).some((t) => t.startsWith("📦"))).toBe(false);

    await setup.managers.maria.tapButton("↩️ Hand back", { chat: setup.managers.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage((m) => m.text?.startsWith("Maria has finished helping you") ?? false, wait);
    const thanks = await customer.waitForMessage((m) => m.text?.startsWith("📦") ?? false, wait);
    expect(thanks.text).toBe(
      `📦 Order ${order.externalId}\nYour order has been delivered.\n\nThank you for your purchase, Anna! How did everything go? Please ` +
        `rate your order:`,
    );
    expect(buttonsOf(thanks)).toEqual(["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐", "↩️ Return items"]);
    // Only the newest status is made up for: "shipped" is not sent after "delivered".
    expect(texts(customer.messages).filter((t) => t.startsWith("📦"))).toHaveLength(1);

    await customer.tapButton("4 ⭐", { messageId: thanks.message_id });
    expect((await h.webhooks.waitFor("order.rated", { orderId: order.id })).body.data.rating).toEqual({ score: 4, comment: null });
  });

  it("does not thank the customer again after the hand back when a correction came back to delivered meanwhile", async () => {
    const setup = managersGroup();
    const h = await start("2026-11-24T09:00:00Z", {}, setup.prepare);
    const { order, customer } = await confirmedOrder(h, clock);
    expect((await h.api("POST", `/orders/${order.id}/status`, { status: "delivered" })).body).toMatchObject({ messaged: true });
    await customer.waitForMessage((m) => m.text?.includes("Please rate your order") ?? false, wait);
    await customer.sendText("/help");
    await customer.waitForMessage(() => true, wait);
    await customer.tapButton("🙋 Talk to a person");
    const card = await managerTakes(setup.managers, order.externalId);

    expect((await h.api("POST", `/orders/${order.id}/status`, { status: "out_for_delivery", correction: true })).body).toMatchObject({
      changed: true,
      messaged: false,
    });
    expect((await h.api("POST", `/orders/${order.id}/status`, { status: "delivered" })).body).toMatchObject({
      changed: true,
      messaged: false,
    });
    await setup.managers.maria.tapButton("↩️ Hand back", { chat: setup.managers.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage((m) => m.text?.startsWith("Maria has finished helping you") ?? false, wait);
    await expect.poll(() => h.database.db.job.count({ where: { kind: "chat.back_with_bot", status: "done" } }), poll).toBe(1);
    // The first "delivered" was the only status message: nothing was made up for after the hand back.
    expect(
      await h.database.db.outboxMessage.count({
        where: { orderId: order.id, idempotencyKey: { startsWith: `order:${order.id}:status:` } },
      }),
    ).toBe(1);
  });

  it("sends the quiet-parcel news held back while the manager had the chat after the hand back", async () => {
    const setup = managersGroup();
    const h = await start("2026-11-24T09:00:00Z", {}, setup.prepare);
    const { order, customer } = await confirmedOrder(h, clock, { delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin" } });
    await h.api("POST", `/orders/${order.id}/status`, { status: "in_transit", expectedDate: "2026-12-20" });
    await customer.waitForMessage((m) => m.text?.startsWith("📦 Order") ?? false, wait);
    await customer.sendText("/help");
    await customer.waitForMessage(() => true, wait);
    await customer.tapButton("🙋 Talk to a person");
    const card = await managerTakes(setup.managers, order.externalId);

    advance(h, clock, 7 * day);
    await expect
      .poll(() => h.database.db.job.findUnique({ where: { dedupeKey: `parcel.quiet:${order.id}:1:7` } }).then((j) => j?.lastError), poll)
      .toBe(`skipped: the chat is with manager:${setup.managers.maria.id}`);
    expect(texts(customer.messages).some((t) => t.startsWith("📦 News"))).toBe(false);

    await setup.managers.maria.tapButton("🔒 Close", { chat: setup.managers.group, messageId: card.message_id, ...wait });
    const quiet = await customer.waitForMessage((m) => m.text?.startsWith("📦 News") ?? false, wait);
    expect(quiet.text).toContain("there has been no change for 7 days. Where it is: on its way.");
  });

  it("nudges an unconfirmed order again after the hand back, counting from it", async () => {
    const setup = managersGroup();
    const h = await start("2026-11-24T09:00:00Z", {}, setup.prepare);
    const { order, customer } = await openOrderDialog(h);
    await waitForPlan(h, clock, order.id, "order.awaiting");
    await customer.tapButton("🙋 Talk to a person");
    const card = await managerTakes(setup.managers, order.externalId);

    advance(h, clock, hour); // nudge 1 is due while Maria has the chat: not sent
    await expect
      .poll(() => h.database.db.job.findUnique({ where: { dedupeKey: `order.nudge:${order.id}:1` } }).then((j) => j?.lastError), poll)
      .toBe("skipped: the chat is with manager:" + setup.managers.maria.id);
    advance(h, clock, 2 * hour);
    expect(texts(customer.messages).some((t) => t.includes("still waiting"))).toBe(false);

    await setup.managers.maria.tapButton("↩️ Hand back", { chat: setup.managers.group, messageId: card.message_id, ...wait });
    const backAt = clock.now().getTime();
    const resumed = await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false, wait);
    await expect
      .poll(
        () =>
          h.database.db.job
            .findMany({ where: { orderId: order.id, kind: "order.nudge", status: "pending" } })
            .then((jobs) => jobs.map((j) => j.dueAt.getTime())),
        poll,
      )
      .toEqual([backAt + hour]);

    advance(h, clock, hour);
    const nudge = await customer.waitForMessage((m) => m.text?.includes("still waiting") ?? false, wait);
    expect(nudge.text).toMatch(/^⏰ Anna, your order A-\S+ is still waiting for your confirmation\. Here it is again:/);
    expect(nudge.message_id).toBeGreaterThan(resumed.message_id);
    advance(h, clock, hour);
    expect((await customer.waitForMessage((m) => m.text?.includes("still waiting") ?? false, wait)).message_id).toBeGreaterThan(
      nudge.message_id,
    );
    expect(texts(customer.messages).filter((t) => t.includes("still waiting"))).toHaveLength(2);
    advance(h, clock, hour); // both nudges of the new round unanswered: a person again
    await expect
      .poll(
        () =>
          h.webhooks.received
            .filter((w) => w.body.type === "order.escalated" && w.body.data.order.id === order.id)
            .map((w) => w.body.data.reason)
            .at(-1),
        poll,
      )
      .toBe("no_answer_to_nudges");
  });
});

describe("before delivery", () => {
  it("reminds the customer three hours before the window, with the window, the method and the address", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, {
      delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: "2026-11-26", window: "14:00-18:00" },
    });
    const job = await h.database.db.job.findFirstOrThrow({ where: { orderId: order.id, kind: "delivery.reminder" } });
    expect(job.dueAt.toISOString()).toBe("2026-11-26T10:00:00.000Z"); // 14:00 in Berlin, minus 3 h

    setClock(h, clock, "2026-11-26T10:00:00Z");
    const reminder = await customer.waitForMessage();
    expect(reminder.text).toBe(
      `🚚 A reminder, Anna: your order ${order.externalId} arrives Thursday, November 26, 14:00-18:00.\nDelivery: courier\nAddress: ` +
        `Hauptstr. 1, 10115 Berlin\n\nIf this no longer suits you, just write to us here.`,
    );
    const promise = await h.database.db.orderPromise.findFirstOrThrow({ where: { orderId: order.id } });
    expect(promise).toMatchObject({ kind: "delivery", dueDate: "2026-11-26", window: "14:00-18:00", status: "open" });
  });
});

describe("status updates from the shop", () => {
  it("tells the customer each new status once, with tracking and pickup details", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock);
    const steps: Array<[Record<string, unknown>, string[]]> = [
      [{ status: "accepted" }, ["The shop has accepted your order and is preparing it."]],
      [{ status: "packed" }, ["Your order is packed"]],
      [
        {
          status: "shipped",
          trackingNumber: "JJD000123",
          carrier: "DHL",
          trackingUrl: "https://track.example/JJD000123",
          expectedDate: "2026-12-02",
        },
        [
          "Your order has been shipped.",
          "Expected delivery: Wednesday, December 2.",
          "Tracking number: JJD000123 (DHL)",
          "Track it: https://track.example/JJD000123",
        ],
      ],
      [{ status: "in_transit" }, ["Your order is on its way.", "Tracking number: JJD000123 (DHL)"]],
      [{ status: "at_sorting_center" }, ["Your order has arrived at the sorting centre."]],
      // The shop's expected date is still December 2, a week ahead: not "today".
      [{ status: "out_for_delivery" }, ["Your order is out for delivery.", "Expected delivery: Wednesday, December 2."]],
      [{ status: "delivery_failed" }, ["We could not deliver your order."]],
      [
        {
          status: "ready_for_pickup",
          pickup: {
            point: "Kiosk am Markt",
            address: "Marktplatz 3, Berlin",
            hours: "Mon-Sat 08:00-20:00",
            storageUntil: "2026-11-30T17:00:00Z",
          },
        },
        [
          "Your order is ready for pickup.",
          "Pickup point: Kiosk am Markt",
          "Address: Marktplatz 3, Berlin",
          "Opening hours: Mon-Sat 08:00-20:00",
          "It is kept for you until Monday, November 30 at 18:00.",
        ],
      ],
      [
        { status: "delivered" },
        ["Your order has been delivered.", "Thank you for your purchase, Anna! How did everything go? Please rate your order:"],
      ],
    ];
    for (const [body, expected] of steps) {
      const response = await h.api("POST", `/orders/${order.id}/status`, body);
      expect(response).toMatchObject({ status: 200, body: { status: body.status, changed: true, messaged: true } });
      const message = await customer.waitForMessage();
      expect(message.text).toMatch(new RegExp(`^📦 Order ${order.externalId}\\n`));
      for (const line of expected) expect(message.text).toContain(line);
      if (body.status === "in_transit") {
        // The same status again: recorded as a repeat, not sent again.
        expect((await h.api("POST", `/orders/${order.id}/status`, body)).body).toMatchObject({ changed: false, messaged: false });
      }
    }
    const statusMessages = texts(customer.messages).filter((t) => t.startsWith("📦 Order"));
    expect(statusMessages).toHaveLength(steps.length);
    const history = (await h.api("GET", `/orders/${order.id}`)).body.history.filter((e: { type: string }) => e.type === "delivery.status");
    expect(history.map((e: { data: { status: string } }) => e.data.status)).toEqual(steps.map(([body]) => body.status));
  });

  it("refuses a step back with 409, and a correction never tells the customer a stage twice", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock);
    const post = (body: Record<string, unknown>) => h.api("POST", `/orders/${order.id}/status`, body);
    const statusRows = () =>
      h.database.db.outboxMessage.count({ where: { orderId: order.id, idempotencyKey: { startsWith: `order:${order.id}:status:` } } });
    expect((await post({ status: "shipped" })).body).toMatchObject({ changed: true, messaged: true });
    await customer.waitForMessage((m) => m.text?.includes("has been shipped") ?? false, wait);
    expect((await post({ status: "delivered" })).body).toMatchObject({ changed: true, messaged: true });
    await customer.waitForMessage((m) => m.text?.includes("has been delivered") ?? false, wait);

    // Delivered by mistake: going back is refused unless the shop says it corrects a mistake.
    const back = await post({ status: "shipped" });
    expect(back.status).toBe(409);
    expect(back.body).toMatchObject({ error: { code: "STATUS_TRANSITION_REFUSED" }, from: "delivered", to: "shipped", allowed: [] });
    expect(
      (await h.api("GET", `/orders/${order.id}`)).body.history.filter((e: { type: string }) => e.type === "delivery.status"),
    ).toHaveLength(2);
    expect((await post({ status: "shipped", correction: true })).body).toMatchObject({ status: "shipped", changed: true, messaged: false });
    // A step back from shipped is refused too, while the parcel moves on as usual.
    expect((await post({ status: "accepted" })).body.error.code).toBe("STATUS_TRANSITION_REFUSED");
    expect((await post({ status: "delivered" })).body).toMatchObject({ status: "delivered", changed: true, messaged: false });

    // One "shipped", one "delivered" with one rating prompt: the corrections queued nothing.
    expect(await statusRows()).toBe(2);
    expect(texts(customer.messages).filter((t) => t.includes("Please rate your order"))).toHaveLength(1);
    const history = (await h.api("GET", `/orders/${order.id}`)).body.history.filter((e: { type: string }) => e.type === "delivery.status");
    expect(history.map((e: { data: { status: string } }) => e.data.status)).toEqual(["shipped", "delivered", "shipped", "delivered"]);
  });

  it("refuses an expected date or a storage end beyond a year ahead, naming the field, and records nothing", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order } = await confirmedOrder(h, clock);
    const farDate = await h.api("POST", `/orders/${order.id}/status`, { status: "shipped", expectedDate: "9999-12-31" });
    expect(farDate.status).toBe(400);
    expect(farDate.body.error.problems.map((p: { path: string }) => p.path)).toEqual(["expectedDate"]);
    const farStorage = await h.api("POST", `/orders/${order.id}/status`, {
      status: "ready_for_pickup",
      pickup: { storageUntil: "9999-12-31T18:00:00Z" },
    });
    expect(farStorage.body.error.problems.map((p: { path: string }) => p.path)).toEqual(["pickup.storageUntil"]);
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } })).deliveryStatus).toBeNull();
    expect((await h.api("POST", `/orders/${order.id}/status`, { status: "shipped", expectedDate: "2027-11-25" })).status).toBe(200);
  });

  it("refuses a status for an order the customer has not confirmed, and tells them nothing", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order } = await openOrderDialog(h);
    const shipped = await h.api("POST", `/orders/${order.id}/status`, { status: "shipped" });
    expect(shipped.status).toBe(409);
    expect(shipped.body.error.code).toBe("ORDER_NOT_CONFIRMED");
    const stored = await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(stored.deliveryStatus).toBeNull();
    expect(
      await h.database.db.outboxMessage.count({
        where: { orderId: order.id, idempotencyKey: { startsWith: `order:${order.id}:status:` } },
      }),
    ).toBe(0);
  });

  it("speaks the customer's language, and refuses a status for an unknown order or status", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const ivan = await knownCustomer(h, { firstName: "Иван", languageCode: "ru" });
    const created = await h.api(
      "POST",
      "/orders",
      orderPayload({ customer: { name: "Иван", phone: "+7 916 555 0101", telegramUserId: ivan.id, language: "ru" } }),
    );
    await ivan.waitForMessage();
    await ivan.tapButton("✅ Подтвердить");
    await expect.poll(async () => (await h.api("GET", `/orders/${created.body.id}`)).body.state).toBe("confirmed");
    await h.api("POST", `/orders/${created.body.id}/status`, { status: "returned_to_sender" });
    expect((await ivan.waitForMessage((m) => m.text?.startsWith("📦") ?? false, wait)).text).toContain("Ваш заказ возвращается в магазин.");

    expect((await h.api("POST", "/orders/no-such-order/status", { status: "shipped" })).status).toBe(404);
    expect((await h.api("POST", `/orders/${created.body.id}/status`, { status: "teleported" })).status).toBe(400);
  });

  it(
    "says today, tomorrow or the date of a parcel out for delivery as the shop's calendar has it, in the customer's " + "language",
    async () => {
      const h = await start("2026-11-24T09:00:00Z"); // Tuesday, 10:00 in Berlin
      const anna = await knownCustomer(h, { firstName: "Anna", languageCode: "en" });
      const ivan = await knownCustomer(h, { firstName: "Иван", languageCode: "ru" });
      const statusMessage = async (customer: typeof anna, externalId: string, language: string, expectedDate: string) => {
        const created = await h.api(
          "POST",
          "/orders",
          orderPayload({ externalId, customer: { name: customer.user.first_name, telegramUserId: customer.id, language } }),
        );
        await customer.waitForMessage();
        await customer.tapButton(language === "ru" ? "✅ Подтвердить" : "✅ Confirm");
        await expect.poll(async () => (await h.api("GET", `/orders/${created.body.id}`)).body.state).toBe("confirmed");
        await h.api("POST", `/orders/${created.body.id}/status`, { status: "out_for_delivery", expectedDate });
        return (await customer.waitForMessage((m) => m.text?.startsWith("📦") ?? false, wait)).text ?? "";
      };
      const tomorrow = await statusMessage(anna, "OFD-1", "en", "2026-11-25");
      expect(tomorrow).toContain("Your order is out for delivery.\nIt arrives tomorrow, Wednesday, November 25.");
      expect(tomorrow).not.toContain("today");
      expect(await statusMessage(anna, "OFD-2", "en", "2026-11-24")).toContain("Your order is out for delivery today.");
      const russian = await statusMessage(ivan, "OFD-3", "ru", "2026-11-25");
      expect(russian).toContain("Ваш заказ передан курьеру.\nКурьер привезёт его завтра (среда, 25 ноября).");
      expect(russian).not.toContain("сегодня");
    },
  );

  it("updates a customer whose parcel has been quiet for seven days", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock);
    await h.api("POST", `/orders/${order.id}/status`, { status: "shipped", expectedDate: "2026-12-02" });
    await customer.waitForMessage();

    advance(h, clock, 7 * day);
    const quiet = await customer.waitForMessage();
    expect(quiet.text).toBe(
      `📦 News about your order ${order.externalId}: there has been no change for 7 days. Where it is: shipped.\nIt is still expected by ` +
        `Wednesday, December 2. We are keeping an eye on it and will write as soon as it moves; you do not need to do anything.`,
    );
  });

  it("never presents a date gone by as expected, and tells a colleague, who checks with the carrier", async () => {
    const group = managersGroup();
    // Three quiet days, and a grace long enough that the promise is not broken yet on day three.
    const h = await start("2026-11-24T09:00:00Z", { notifications: { quietParcelDays: [3], promises: { graceHours: 72 } } }, group.prepare);
    const { order, customer } = await confirmedOrder(h, clock);
    await h.api("POST", `/orders/${order.id}/status`, { status: "shipped", expectedDate: "2026-11-25" });
    await customer.waitForMessage();

    advance(h, clock, 3 * day); // Friday 27 November: the carrier's Wednesday has gone by
    const quiet = await customer.waitForMessage((m) => m.text?.startsWith("📦 News") ?? false, wait);
    expect(quiet.text).toBe(
      `📦 News about your order ${order.externalId}: there has been no change for 3 days. Where it is: shipped.\nIt was expected by ` +
        `Wednesday, November 25 and has not arrived yet. We are sorry: a colleague is checking with the carrier and will write to you ` +
        `with a new date.`,
    );
    const note = await group.managers.maria.waitForMessage((m) => m.text?.startsWith(`📦 Order ${order.externalId}`) ?? false, {
      chat: group.managers.group,
      ...wait,
    });
    expect(note.text).toBe(
      `📦 Order ${order.externalId}: no change for 3 days (shipped); it was expected by 2026-11-25. The customer was told a colleague is ` +
        `checking with the carrier.`,
    );
    expect(note.message_thread_id).toBeDefined();
    // The bot keeps the chat: nobody was asked to take it.
    expect((await h.api("GET", `/orders/${order.id}`)).body.dialog.owner).toBe("bot");
  });

  it("says honestly in Russian that the carrier gave no date, and tells a colleague", async () => {
    const group = managersGroup();
    const h = await start("2026-11-24T09:00:00Z", {}, group.prepare);
    const ivan = await knownCustomer(h, { firstName: "Ivan", languageCode: "ru" });
    const created = await h.api(
      "POST",
      "/orders",
      orderPayload({ customer: { name: "Иван", phone: "+49 170 5550777", telegramUserId: ivan.id, language: "ru" } }),
    );
    await ivan.waitForMessage((m) => m.text?.includes(created.body.externalId) ?? false, wait);
    await ivan.tapButton("✅ Подтвердить");
    await waitForPlan(h, clock, created.body.id, "order.confirmed");
    await h.api("POST", `/orders/${created.body.id}/status`, { status: "in_transit" });
    await ivan.waitForMessage((m) => m.text?.startsWith("📦 Заказ") ?? false, wait);

    advance(h, clock, 7 * day);
    const quiet = await ivan.waitForMessage((m) => m.text?.startsWith("📦 Новости") ?? false, wait);
    expect(quiet.text).toContain("Перевозчик пока не назвал дату доставки, поэтому коллега уточняет её у него.");
    const note = await group.managers.maria.waitForMessage((m) => m.text?.startsWith(`📦 Order ${created.body.externalId}`) ?? false, {
      chat: group.managers.group,
      ...wait,
    });
    expect(note.text).toBe(
      `📦 Order ${created.body.externalId}: no change for 7 days (in transit) and no delivery date from the carrier. The customer was ` +
        `told a colleague is checking with the carrier.`,
    );
  });

  it("updates a quiet parcel again at day fourteen, and not when its status has moved", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, { delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin" } });
    await h.api("POST", `/orders/${order.id}/status`, { status: "in_transit", expectedDate: "2026-12-20" });
    await customer.waitForMessage((m) => m.text?.startsWith("📦 Order") ?? false, wait);

    advance(h, clock, 7 * day);
    expect((await customer.waitForMessage((m) => m.text?.startsWith("📦 News") ?? false, wait)).text).toContain("no change for 7 days");
    advance(h, clock, 7 * day);
    const later = await customer.waitForMessage((m) => m.text?.startsWith("📦 News") ?? false, wait);
    expect(later.text).toBe(
      `📦 News about your order ${order.externalId}: there has been no change for 14 days. Where it is: on its way.\nIt is still expected ` +
        `by Sunday, December 20. We are keeping an eye on it and will write as soon as it moves; you do not need to do anything.`,
    );

    // A new status starts the count again: the old day-14 check of it is gone.
    await h.api("POST", `/orders/${order.id}/status`, { status: "at_sorting_center" });
    await customer.waitForMessage((m) => m.text?.includes("sorting centre") ?? false, wait);
    const checks = await h.database.db.job.findMany({ where: { orderId: order.id, kind: "parcel.quiet", status: "pending" } });
    expect(checks.map((j) => Math.round((j.dueAt.getTime() - clock.now().getTime()) / day)).sort((a, b) => a - b)).toEqual([7, 14]);
  });

  it("tells a pickup customer where and when to collect the parcel, and reminds them before the point stops keeping it", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, { delivery: { method: "pickup", pointId: "main" } });
    // The shop sends only how long the point keeps it: the rest is the point the customer chose.
    await h.api("POST", `/orders/${order.id}/status`, { status: "ready_for_pickup", pickup: { storageUntil: "2026-11-30T17:00:00Z" } });
    const ready = await customer.waitForMessage((m) => m.text?.startsWith("📦") ?? false, wait);
    expect(ready.text).toBe(
      `📦 Order ${order.externalId}\nYour order is ready for pickup.\nPickup point: Demo Shop, Main Street\nAddress: Hauptstr. 10, 10115 ` +
        `Berlin\nOpening hours: Mon-Fri 10:00-20:00, Sat 10:00-16:00\nIt is kept for you until Monday, November 30 at 18:00.`,
    );

    const job = await h.database.db.job.findFirstOrThrow({ where: { orderId: order.id, kind: "pickup.storage_reminder" } });
    expect(job.dueAt.toISOString()).toBe("2026-11-29T17:00:00.000Z"); // a day before
    setClock(h, clock, "2026-11-29T17:00:00Z");
    const reminder = await customer.waitForMessage((m) => m.text?.includes("waiting for you at the pickup point") ?? false, wait);
    expect(reminder.text).toBe(
      `📦 A reminder, Anna: your order ${order.externalId} is waiting for you at the pickup point until Monday, November 30 at 18:00. ` +
        `After that it goes back to the shop.`,
    );
  });

  it("shows the pickup details the shop sends for a place of its own, without mixing in the chosen point", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, { delivery: { method: "pickup", pointId: "main" } });
    await h.api("POST", `/orders/${order.id}/status`, {
      status: "ready_for_pickup",
      pickup: { point: "Packstation 123", address: "Torstr. 5, Berlin" },
    });
    const ready = await customer.waitForMessage((m) => m.text?.startsWith("📦") ?? false, wait);
    expect(ready.text).toBe(
      `📦 Order ${order.externalId}\nYour order is ready for pickup.\nPickup point: Packstation 123\nAddress: Torstr. 5, Berlin`,
    );
  });
});

describe("promises", () => {
  it("apologises when the promised window passes without delivery, and a manager is told", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock, {
      delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: "2026-11-25", window: "10:00-14:00" },
    });
    setClock(h, clock, "2026-11-25T13:00:00Z"); // 14:00 in Berlin: the window has ended
    const apology = await customer.waitForMessage((m) => m.text?.startsWith("😔") ?? false);
    expect(apology.text).toBe(
      `😔 We are sorry, Anna: your order ${order.externalId} did not arrive on Wednesday, November 25 as we promised. We are finding out ` +
        `what happened. A person from Demo Shop will write to you here shortly.\n\nWhat suits you best?`,
    );
    const escalated = await h.webhooks.waitFor("order.escalated", { orderId: order.id });
    expect(escalated.body.data.reason).toBe("broken_promise");
    expect(await h.database.db.orderPromise.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ status: "broken" });
  });

  it("apologises with the new date when the shop expects the parcel later once the promised day is over", async () => {
    const h = await start("2026-11-24T09:00:00Z", { notifications: { promises: { graceHours: 2 } } });
    const { order, customer } = await confirmedOrder(h, clock);
    await h.database.db.job.updateMany({
      where: { orderId: order.id, kind: "promise.check", status: "pending" },
      data: { status: "cancelled" },
    }); // only the late date may judge it here
    setClock(h, clock, "2026-12-03T08:00:00Z");
    await h.api("POST", `/orders/${order.id}/status`, { status: "in_transit", expectedDate: "2026-12-04" });
    const apology = await customer.waitForMessage((m) => m.text?.startsWith("😔") ?? false);
    expect(apology.text).toContain("did not arrive on Wednesday, December 2 as we promised. The new estimate is Friday, December 4.");
    expect((await h.webhooks.waitFor("order.escalated", { orderId: order.id })).body.data.reason).toBe("broken_promise");
    const promises = await h.database.db.orderPromise.findMany({ where: { orderId: order.id }, orderBy: { madeAt: "asc" } });
    expect(promises.map((p) => [p.dueDate, p.status])).toEqual([
      ["2026-12-02", "broken"],
      ["2026-12-04", "open"],
    ]);
  });

  it("does not apologise when the shop posts a later date before the promised one has come", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock);
    await h.api("POST", `/orders/${order.id}/status`, { status: "in_transit", expectedDate: "2026-12-04" });
    await customer.waitForMessage((m) => m.text?.includes("Your order is on its way.") ?? false, wait);
    expect(texts(customer.messages).filter((t) => t.startsWith("😔"))).toEqual([]);
    const promises = await h.database.db.orderPromise.findMany({ where: { orderId: order.id }, orderBy: { madeAt: "asc" } });
    expect(promises.map((p) => [p.dueDate, p.status])).toEqual([
      ["2026-12-02", "moved"],
      ["2026-12-04", "open"],
    ]);
  });
});

describe("after delivery", () => {
  it("thanks the customer, takes a rating and a comment, and the shop hears both", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock);
    await h.api("POST", `/orders/${order.id}/status`, { status: "delivered" });
    const thanks = await customer.waitForMessage();
    expect(thanks.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual([
      "1 ⭐",
      "2 ⭐",
      "3 ⭐",
      "4 ⭐",
      "5 ⭐",
      "↩️ Return items",
    ]);

    await customer.tapButton("5 ⭐");
    expect((await customer.waitForMessage()).text).toBe("Thank you for your rating: 5 of 5!");
    const rated = await h.webhooks.waitFor("order.rated", { orderId: order.id });
    expect(rated.body.data.rating).toEqual({ score: 5, comment: null });
    expect((await customer.tapButton("✍️ Add a comment")).answered).toBe(true);
    expect((await customer.waitForMessage()).text).toBe("Please write your comment in one message.");
    await customer.sendText("Fast & friendly <3");
    expect((await customer.waitForMessage()).text).toBe("Thank you! We have passed your comment on to Demo Shop.");
    await expect.poll(() => h.webhooks.received.filter((w) => w.body.type === "order.rated" && w.body.data.rating.comment).length).toBe(1);
    expect(h.webhooks.received.find((w) => w.body.type === "order.rated" && w.body.data.rating.comment)!.body.data.rating).toEqual({
      score: 5,
      comment: "Fast & friendly <3",
    });
    expect(await h.database.db.orderRating.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      score: 5,
      comment: "Fast & friendly <3",
    });
  });

  it("sends a low rating to a manager", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock);
    await h.api("POST", `/orders/${order.id}/status`, { status: "delivered" });
    await customer.waitForMessage();
    await customer.tapButton("2 ⭐");
    expect((await customer.waitForMessage()).text).toBe(
      "Thank you for your rating: 2 of 5!\nWe are sorry it was not better. A person from Demo Shop will look into it and write to you.",
    );
    expect((await h.webhooks.waitFor("order.escalated", { orderId: order.id })).body.data.reason).toBe("low_rating");
    expect((await customer.forgeCallbackQuery(`og:r:${order.id}:5`, { messageId: customer.messages.at(-2)!.message_id })).text).toBe(
      "You have rated this order already. Thank you!",
    );
  });
});

describe("a low rating's explanation", () => {
  /** Delivered and rated 2 of 5: the chat went to the managers, whose card says why. */
  async function ratedLow() {
    const group = managersGroup();
    const h = await start("2026-11-24T09:00:00Z", {}, group.prepare);
    const { order, customer } = await confirmedOrder(h, clock);
    await h.api("POST", `/orders/${order.id}/status`, { status: "delivered" });
    await customer.waitForMessage();
    await customer.tapButton("2 ⭐");
    const card = await group.managers.maria.waitForMessage(isOrderCard(order.externalId), { chat: group.managers.group, ...wait });
    expect(card.text).toContain("❓ Why: a low rating (2/5)");
    const ratedWithComment = () =>
      h.webhooks.received.filter((w) => w.body.type === "order.rated" && w.body.data.order.id === order.id && w.body.data.rating.comment);
    return { h, order, customer, card, ...group.managers, ratedWithComment };
  }

  it("written to the manager, reaches the topic and the shop as the rating's comment, and the bot stays silent", async () => {
    const { h, order, customer, maria, group, card, ratedWithComment } = await ratedLow();
    const before = customer.messages.length;
    await customer.sendText("The tea arrived crushed");
    await maria.waitForMessage((m) => m.text === "👤 Anna: The tea arrived crushed", {
      chat: group,
      threadId: card.message_thread_id!,
      ...wait,
    });
    await expect.poll(() => ratedWithComment().length, poll).toBe(1);
    expect(ratedWithComment()[0]!.body.data.rating).toEqual({ score: 2, comment: "The tea arrived crushed" });

    // Only the first text explains the rating; the rest is the conversation with the manager.
    await customer.sendText("Can you send a new pack?");
    await maria.waitForMessage((m) => m.text === "👤 Anna: Can you send a new pack?", {
      chat: group,
      threadId: card.message_thread_id!,
      ...wait,
    });
    expect(await h.database.db.orderRating.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      score: 2,
      comment: "The tea arrived crushed",
    });
    await h.app.drain();
    expect(ratedWithComment()).toHaveLength(1);
    expect(
      customer.messages
        .slice(before)
        .filter((m) => m.from?.is_bot)
        .map((m) => m.text),
    ).toEqual([]);
  });

  it("written after the manager closed the chat, is the rating's comment, and the bot thanks for it", async () => {
    const { order, customer, maria, group, card, ratedWithComment } = await ratedLow();
    await maria.tapButton("🔒 Close", { chat: group, messageId: card.message_id, ...wait });
    await customer.waitForMessage((m) => m.text?.startsWith("Your request for a person") ?? false, wait);
    await customer.sendText("It came two days late");
    expect((await customer.waitForMessage((m) => m.text?.startsWith("Thank you! We have passed") ?? false, wait)).text).toBe(
      "Thank you! We have passed your comment on to Demo Shop.",
    );
    await expect.poll(() => ratedWithComment().length, poll).toBe(1);
    expect(ratedWithComment()[0]!.body.data).toMatchObject({
      order: { id: order.id },
      rating: { score: 2, comment: "It came two days late" },
    });
  });
});

describe("delivery trouble", () => {
  it("delivers after Telegram answers 429 and 500, once", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const { order, customer } = await confirmedOrder(h, clock);
    const rowFor = (seq: number) =>
      h.database.db.outboxMessage.findUnique({ where: { idempotencyKey: `order:${order.id}:status:${seq}` } });

    h.standin.injectFault({ method: "sendMessage", chatId: customer.id, error: 429, retryAfter: 5 });
    await h.api("POST", `/orders/${order.id}/status`, { status: "accepted" });
    await expect.poll(async () => (await rowFor(1))?.lastError ?? "").toContain("429");
    advance(h, clock, 6000);
    expect((await customer.waitForMessage()).text).toContain("The shop has accepted your order");

    h.standin.injectFault({ method: "sendMessage", chatId: customer.id, error: 500, times: 2 });
    await h.api("POST", `/orders/${order.id}/status`, { status: "packed" });
    await expect.poll(async () => (await rowFor(2))?.attempts).toBe(1);
    advance(h, clock, minute);
    await expect.poll(async () => (await rowFor(2))?.attempts).toBe(2);
    advance(h, clock, minute);
    expect((await customer.waitForMessage()).text).toContain("Your order is packed");
    await expect.poll(async () => (await rowFor(2))?.status).toBe("sent");
    expect((await rowFor(2))?.attempts).toBe(3);
    expect(texts(customer.messages).filter((t) => t.includes("packed"))).toHaveLength(1);
  });

  it("marks a customer who blocked the bot unreachable, tells a manager and the shop, and stops writing", async () => {
    const setup = managersGroup();
    const h = await start("2026-11-24T09:00:00Z", {}, setup.prepare);
    const { order, customer } = await confirmedOrder(h, clock);
    customer.block();
    await h.api("POST", `/orders/${order.id}/status`, { status: "shipped" });
    const unreachable = await h.webhooks.waitFor("customer.unreachable", { orderId: order.id });
    expect(unreachable.body.data.reason).toContain("403");
    // A manager is told: the order goes to a person, with the customer's topic and card in the managers' group.
    const escalated = await h.webhooks.waitFor("order.escalated", { orderId: order.id });
    expect(escalated.body.data).toMatchObject({ reason: "unreachable", order: { dialog: { owner: "waiting_manager" } } });
    const card = await setup.managers.maria.waitForMessage(isOrderCard(order.externalId), { chat: setup.managers.group, ...wait });
    expect(card.text).toContain("❓ Why: the customer cannot be reached in Telegram");
    expect(card.message_thread_id).toBeDefined();
    expect(
      (await h.database.db.customer.findFirstOrThrow({ where: { telegramUserId: BigInt(customer.id) } })).unreachableAt,
    ).not.toBeNull();
    expect((await h.api("POST", `/orders/${order.id}/status`, { status: "in_transit" })).body).toMatchObject({
      changed: true,
      messaged: false,
    });
  });
});
