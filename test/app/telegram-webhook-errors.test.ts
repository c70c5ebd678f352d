import { afterEach, describe, expect, it, vi } from "vitest";
import { webhookSecretFor } from "../../src/bots/bot-transport.js";
import { botToken, startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog, startTokenOf } from "../support/order-payload.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const internalError = "Sorry, something went wrong on our side. We have been told and will sort it out.";

async function postUpdate(h: Harness, body: string | Uint8Array): Promise<number> {
  const response = await fetch(`${h.app.url}/telegram/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": webhookSecretFor(botToken) },
    body,
  });
  await response.text();
  return response.status;
}

async function webhookInfo(h: Harness): Promise<{ pending_update_count: number; last_error_message?: string }> {
  const response = await fetch(`${h.standin.url}/bot${botToken}/getWebhookInfo`);
  return ((await response.json()) as { result: { pending_update_count: number; last_error_message?: string } }).result;
}

describe("webhook mode's error boundary", () => {
  it("answers a failing update with 200, tells the customer once, and does not hold back the next customer", async () => {
    harness = await startHarness({ webhook: true });
    const h = harness;
    const { order, customer } = await openOrderDialog(h);
    // A dialog step this version does not know: showing the order fails inside the bot.
    await h.app.services.db.orderDialog.update({ where: { orderId: order.id }, data: { step: "choose_gift_wrap" } });
    await customer.sendText(`/start ${startTokenOf(order.startLink)}`);
    const other = h.addCustomer();
    await other.sendText("/start");

    await customer.waitForMessage((msg) => msg.text === internalError);
    expect((await other.waitForMessage((msg) => msg.text?.includes("This is Demo Shop") ?? false, { timeoutMs: 3000 })).text).toContain(
      "This is Demo Shop",
    );
    // Telegram was answered 2xx every time: nothing waits for redelivery, no error is on record.
    await expect.poll(() => webhookInfo(h)).toMatchObject({ pending_update_count: 0 });
    expect((await webhookInfo(h)).last_error_message).toBeUndefined();
    expect(customer.messages.filter((msg) => msg.text === internalError)).toHaveLength(1);
  });

  it("answers malformed bodies with 400, never 500, and keeps serving customers", async () => {
    harness = await startHarness({ webhook: true });
    const message = (chat: unknown, from: unknown = { id: 7, is_bot: false, first_name: "X" }) =>
      JSON.stringify({ update_id: 900, message: { message_id: 1, date: 0, chat, from, text: "/start" } });
    const bodies: Array<string | Uint8Array> = [
      "",
      '{"update_id": 12, "message": {"mess',
      "null",
      "[]",
      message({ id: "abc", type: "private" }),
      message({ id: 7, type: "private" }, { id: 18446744073709551616, is_bot: false, first_name: "X" }),
      new Uint8Array(10 * 1024 * 1024).fill(0x20),
    ];
    for (const body of bodies) expect([200, 400]).toContain(await postUpdate(harness, body));
    // A callback without its message (as for a button under an inline message) is an update: taken.
    expect(
      await postUpdate(
        harness,
        JSON.stringify({
          update_id: 901,
          callback_query: { id: "1", from: { id: 7, is_bot: false, first_name: "X" }, chat_instance: "1", data: "x" },
        }),
      ),
    ).toBe(200);

    const customer = harness.addCustomer();
    await customer.sendText("/start");
    expect((await customer.waitForMessage()).text).toContain("This is Demo Shop");
  });

  it("finishes a webhook update in hand when stopped", async () => {
    harness = await startHarness({ webhook: true });
    const h = harness;
    const customer = h.addCustomer();
    // Telegram is slow to take the bot's answer; the webhook was answered 200 long before.
    h.standin.injectFault({ method: "sendMessage", chatId: customer.id, delayMs: 1_000 });
    await customer.sendText("/start");
    await vi.waitFor(() => expect(h.standin.world.faults.pending).toBe(0), { timeout: 10_000, interval: 10 });
    await h.app.stop();
    expect(customer.lastBotMessage()?.text).toContain("This is Demo Shop");
    await h.restart();
  });
});
