import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { apiToken, startHarness, webhookSecret, type Harness } from "../support/app-harness.js";
import { advance, followUpConfig, managersGroup, setClock } from "../support/follow-up-kit.js";
import { orderPayload, startTokenOf } from "../support/order-payload.js";
import { isSignedWebhook } from "../support/webhook-receiver.js";

// Orders whose customer has not opened the chat with the bot (issue 17, item 2): the shop is told
// with order.unreached within contact hours, again halfway, then the order is marked for a person.
// The example shop is in Europe/Berlin (UTC+1 in November), contact hours 09:00-21:00.

const minute = 60_000;
const poll = { timeout: 5000 };

let harness: Harness | undefined;
let clock: ManualClock;

async function start(at: string, prepare?: ReturnType<typeof managersGroup>["prepare"]): Promise<Harness> {
  clock = new ManualClock(at);
  harness = await startHarness({ clock, configYaml: followUpConfig(), ...(prepare ? { prepare } : {}) });
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** An order sent without the customer's Telegram id: nobody the bot can write to. */
async function unlinkedOrder(h: Harness) {
  const created = await h.api("POST", "/orders", orderPayload());
  expect(created.status).toBe(201);
  expect(created.body.customer.telegramLinked).toBe(false);
  return created.body;
}

const jobOf = (h: Harness, dedupeKey: string) => h.database.db.job.findUniqueOrThrow({ where: { dedupeKey } });

describe("an order whose customer has not opened the chat", () => {
  it("is reported to the shop after opening when it came at night, signed, with the start link and its QR code", async () => {
    const h = await start("2026-11-24T01:30:00Z"); // 02:30 in Berlin
    const order = await unlinkedOrder(h);

    // Fifteen minutes of contact hours: from 09:00, not from 02:30.
    const first = await jobOf(h, `order.unreached:${order.id}:1`);
    expect(first.dueAt.toISOString()).toBe("2026-11-24T08:15:00.000Z");
    // At 02:50 the scheduler runs (its minute sweep plans the next one) and still nothing goes out.
    advance(h, clock, 20 * minute);
    const nextSweep = `follow_ups.sweep:${Math.floor(clock.now().getTime() / minute) + 1}`;
    await expect.poll(() => h.database.db.job.count({ where: { dedupeKey: nextSweep } }), poll).toBe(1);
    expect(h.webhooks.ofType("order.unreached")).toHaveLength(0);
    expect((await jobOf(h, first.dedupeKey)).status).toBe("pending");

    setClock(h, clock, "2026-11-24T08:15:00Z");
    const webhook = await h.webhooks.waitFor("order.unreached", { orderId: order.id });
    expect(isSignedWebhook(webhook, webhookSecret, clock.now())).toBe(true);
    expect(webhook.body.data).toMatchObject({
      notice: 1,
      notices: 2,
      giveUpAt: "2026-11-26T08:00:00.000Z",
      order: {
        id: order.id,
        externalId: order.externalId,
        startLink: order.startLink,
        customer: { telegramLinked: false },
        reach: { unreachedNotices: 1, givenUpAt: null },
      },
      startQr: { url: `/api/v1/orders/${order.id}/start-qr` },
    });
    // The QR code itself, ready for an <img> in an SMS landing page or an e-mail: a PNG.
    const png = Buffer.from(String(webhook.body.data.startQr.dataUrl).replace(/^data:image\/png;base64,/, ""), "base64");
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // The same picture as the API serves.
    const served = await fetch(`${h.app.url}${webhook.body.data.startQr.url}`, { headers: { authorization: `Bearer ${apiToken}` } });
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);

    const view = (await h.api("GET", `/orders/${order.id}`)).body;
    expect(view.reach).toEqual({ unreachedNotices: 1, givenUpAt: null });
    expect(view.history.filter((e: { type: string }) => e.type === "order.unreached")).toEqual([
      expect.objectContaining({ actor: "system", data: { notice: 1 } }),
    ]);
  });

  it(
    "is reported again halfway, then marked for a person; a customer who opens the link three days later gets the order at " + "once",
    async () => {
      const group = managersGroup();
      const h = await start("2026-11-24T09:00:00Z", group.prepare); // 10:00 in Berlin
      const order = await unlinkedOrder(h);

      advance(h, clock, 15 * minute);
      expect((await h.webhooks.waitFor("order.unreached", { orderId: order.id })).body.data.notice).toBe(1);

      setClock(h, clock, "2026-11-25T09:00:00Z"); // 24 h: halfway to giving up
      await expect.poll(() => h.webhooks.ofType("order.unreached").map((w) => w.body.data.notice), poll).toEqual([1, 2]);

      setClock(h, clock, "2026-11-26T09:00:00Z"); // 48 h
      const escalated = await h.webhooks.waitFor("order.escalated", { orderId: order.id });
      expect(escalated.body.data).toMatchObject({
        reason: "unreached",
        order: { reach: { unreachedNotices: 2, givenUpAt: "2026-11-26T09:00:00.000Z" } },
      });
      // The managers read it in the group's General topic: who, which order, the phone and the link.
      const notice = await group.managers.maria.waitForMessage((m) => m.text?.startsWith("📵") ?? false, {
        chat: group.managers.group,
        timeoutMs: 5000,
      });
      expect(notice.message_thread_id).toBeUndefined();
      expect(notice.text).toBe(
        `📵 Order ${order.externalId} · Anna · ${order.customer.phone}\nThe customer has not opened the chat with the bot in 48 h. Please ` +
          `phone them, or send them the order's link: ${order.startLink}`,
      );

      // Three days later, in the morning: Anna opens the link the shop texted her.
      setClock(h, clock, "2026-11-29T10:00:00Z");
      const anna = h.addCustomer({ firstName: "Anna" });
      await anna.sendText(`/start ${startTokenOf(order.startLink)}`);
      const readBack = await anna.waitForMessage();
      expect(readBack.text).toContain(`Order ${order.externalId}`);
      expect(readBack.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain("✅ Confirm");
      const view = (await h.api("GET", `/orders/${order.id}`)).body;
      expect(view).toMatchObject({ state: "awaiting_customer", customer: { telegramLinked: true }, dialog: { owner: "bot" } });
      expect(h.webhooks.ofType("order.unreached")).toHaveLength(2);
    },
  );

  it("is not reported when the customer opens the chat in time", async () => {
    const h = await start("2026-11-24T09:00:00Z");
    const order = await unlinkedOrder(h);
    advance(h, clock, 5 * minute);
    const anna = h.addCustomer({ firstName: "Anna" });
    await anna.sendText(`/start ${startTokenOf(order.startLink)}`);
    await anna.waitForMessage();

    advance(h, clock, 10 * minute);
    await expect
      .poll(() => jobOf(h, `order.unreached:${order.id}:1`).then((j) => [j.status, j.lastError]), poll)
      .toEqual(["cancelled", "skipped: the customer opened the chat"]);
    setClock(h, clock, "2026-11-26T09:00:00Z");
    await expect
      .poll(() => jobOf(h, `order.reach_give_up:${order.id}`).then((j) => j.lastError), poll)
      .toBe("skipped: the customer opened the chat");
    expect(h.webhooks.ofType("order.unreached")).toHaveLength(0);
    expect((await h.api("GET", `/orders/${order.id}`)).body.reach).toEqual({ unreachedNotices: 0, givenUpAt: null });
  });
});
