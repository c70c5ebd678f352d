import { afterEach, describe, expect, it } from "vitest";
import type { Message, Update } from "grammy/types";
import { webhookSecretFor } from "../../src/bots/bot-transport.js";
import type { DatabaseProvider } from "../../src/db/database-url.js";
import type { Prisma } from "../../src/db/models.js";
import { botToken, startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog, orderPayload, startTokenOf } from "../support/order-payload.js";

const provider: DatabaseProvider = process.env.CI === "true" ? "postgresql" : "sqlite";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const confirmData = (message: Message): string => {
  const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.text === "✅ Confirm");
  if (!button || !("callback_data" in button)) throw new Error("no Confirm button on the read-back");
  return button.callback_data;
};

async function postUpdate(h: Harness, update: Update): Promise<number> {
  const response = await fetch(`${h.app.url}/telegram/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": webhookSecretFor(botToken) },
    body: JSON.stringify(update),
  });
  await response.text();
  return response.status;
}

/**
 * What an instance killed (kill -9) right after taking a tap leaves: Telegram was told the update
 * arrived (webhook 200, or the next getUpdates' offset), the update is recorded, never handled.
 */
describe.each([
  { transport: "webhook", webhook: true },
  { transport: "long polling", webhook: false },
])(`a tap taken by an instance that was killed before handling it ($transport, ${provider})`, ({ webhook }) => {
  it("is handled at the restart: the customer sees the order confirmed, once", async () => {
    harness = await startHarness({ provider, webhook });
    const h = harness;
    const { order, customer, readBack } = await openOrderDialog(h);
    const tap: Update = {
      update_id: 900_000_001,
      callback_query: { id: "9000000001", from: customer.user, message: readBack, chat_instance: "1", data: confirmData(readBack) },
    };
    // SQLite's lock proves the taker is dead: taken over at once. On PostgreSQL another instance
    // may still be handling it: taken over once its lease ran out (the killed one renews no more).
    const now = h.app.services.clock.now().getTime();
    const leasedUntil = new Date(provider === "sqlite" ? now + 60_000 : now - 1000);
    await h.app.services.db.inboundUpdate.create({
      data: {
        updateId: BigInt(tap.update_id),
        payload: tap as unknown as Prisma.InputJsonValue,
        receivedAt: new Date(now - 10_000),
        receivedBy: "a-killed-instance/1",
        leasedUntil,
      },
    });

    await h.restart();

    const confirmed = await customer.waitForEdit(readBack.message_id, { timeoutMs: 5000 });
    expect(confirmed.text).toContain("Confirmed.");
    expect(confirmed.reply_markup).toBeUndefined();
    await h.webhooks.waitFor("order.confirmed", { orderId: order.id });
    await expect
      .poll(async () => (await h.app.services.db.inboundUpdate.findUniqueOrThrow({ where: { updateId: BigInt(tap.update_id) } })).handledAt)
      .not.toBeNull();
    // Once: a second restart finds nothing owed.
    await h.restart();
    const other = h.addCustomer();
    await other.sendText("/start");
    await other.waitForMessage((m) => m.text?.includes("This is Demo Shop") ?? false);
    expect(h.webhooks.ofType("order.confirmed").filter((w) => w.body.data.order.id === order.id)).toHaveLength(1);
    expect((await h.api("GET", `/orders/${order.id}`)).body.state).toBe("confirmed");
  });
});

describe(`an update Telegram delivers again (${provider})`, () => {
  it("is handled once: the customer gets one read-back for one /start", async () => {
    harness = await startHarness({ provider, webhook: true });
    const h = harness;
    const response = await h.api("POST", "/orders", orderPayload());
    const customer = h.addCustomer();
    const delivered: Update[] = [];
    h.standin.events.on("update", (event) => delivered.push(event.update));
    await customer.sendText(`/start ${startTokenOf(response.body.startLink)}`);
    await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
    const start = delivered.find((u) => u.message?.text?.startsWith("/start"))!;

    // Telegram did not see the 200 (a timeout on its side) and posts the same update again.
    expect(await postUpdate(h, start)).toBe(200);
    // The next message in this chat is handled after anything the redelivery would have caused.
    await customer.sendText("/help");
    await customer.waitForMessage((m) => !(m.text?.includes("Is everything correct?") ?? false));
    expect(customer.messages.filter((m) => m.text?.includes("Is everything correct?"))).toHaveLength(1);
  });
});
