import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, webhookSecret, type Harness } from "../support/app-harness.js";
import { openOrderDialog, orderPayload, startTokenOf } from "../support/order-payload.js";
import { isSignedWebhook } from "../support/webhook-receiver.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});

async function createOrder(overrides: Record<string, unknown> = {}) {
  const response = await harness.api("POST", "/orders", orderPayload(overrides));
  expect(response.status).toBe(201);
  return response.body;
}

describe("a customer confirms an order in Telegram", () => {
  it("opens the start link, reads every field back, changes a quantity, confirms, and the shop gets a signed webhook", async () => {
    const order = await createOrder({ externalId: "A-2001" });
    expect(order.startLink).toMatch(/^https:\/\/t\.me\/test_shop_bot\?start=[A-Za-z0-9_-]{16,64}$/);
    expect(order.state).toBe("awaiting_customer");

    const anna = harness.addCustomer({ firstName: "Anna" });
    await anna.sendText(`/start ${startTokenOf(order.startLink)}`);
    const readBack = await anna.waitForMessage();
    expect(readBack.text).toMatch(/^Good (morning|afternoon|evening), Anna! This is Demo Shop, manager Anna\./);
    for (const line of [
      "Order A-2001",
      "1. Green tea: 2 × €4.50 = €9.00",
      "2. Clay cup: 1 × €12.90 = €12.90",
      "Items: €21.90",
      "Delivery price: €4.90",
      "Total: €26.80",
      "Name: Anna",
      "Delivery: courier",
      "Date: Wednesday, December 2, 10:00-14:00",
      "Address: Hauptstr. 1, 10115 Berlin",
      "Comment: Please ring twice",
      "Is everything correct?",
    ]) {
      expect(readBack.text).toContain(line);
    }
    expect(readBack.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual([
      "✅ Confirm",
      "✏️ Change something",
      "❌ Cancel the order",
      "🙋 Talk to a person",
      // The first message offers the shop's languages (shop.languages in the example config).
      "✓ English",
      "Русский",
      "Українська",
      "Magyar",
    ]);

    await anna.tapButton("✏️ Change something");
    await anna.tapButton("Change a quantity");
    await anna.tapButton("1. Green tea × 2");
    await anna.tapButton("3");
    const changed = anna.messages.find((m) => m.message_id === readBack.message_id)!;
    expect(changed.text).toContain("1. Green tea: 3 × €4.50 = €13.50");
    expect(changed.text).toContain("Items: €26.40");
    expect(changed.text).toContain("Total: €31.30");

    await anna.tapButton("✅ Confirm");
    const confirmed = anna.messages.find((m) => m.message_id === readBack.message_id)!;
    expect(confirmed.text).toContain("Confirmed.");
    expect(confirmed.text).toContain("Thank you, Anna!");
    expect(confirmed.reply_markup).toBeUndefined();

    const webhook = await harness.webhooks.waitFor("order.confirmed", { orderId: order.id });
    expect(isSignedWebhook(webhook, webhookSecret, harness.app.services.clock.now())).toBe(true);
    expect(webhook.body.data.order).toMatchObject({
      externalId: "A-2001",
      state: "confirmed",
      itemsTotal: "26.40",
      total: "31.30",
      items: [
        { sku: "TEA-1", quantity: 3, unitPrice: "4.50", lineTotal: "13.50" },
        { sku: "CUP-7", quantity: 1, unitPrice: "12.90", lineTotal: "12.90" },
      ],
    });
    expect((await harness.webhooks.waitFor("order.changed", { orderId: order.id })).body.data.order.total).toBe("31.30");

    const stored = await harness.api("GET", `/orders/${order.id}`);
    expect(stored.body.state).toBe("confirmed");
    expect(stored.body.history.map((h: { type: string }) => h.type)).toEqual([
      "order.created",
      "customer.linked",
      "message.sent",
      "customer.quantity_changed",
      "customer.confirmed",
    ]);
  });

  it("cancels with a reason from the shop's list, and the shop hears why", async () => {
    const { order, customer } = await openOrderDialog(harness);
    await customer.tapButton("❌ Cancel the order");
    const question = customer.lastBotMessage()!;
    expect(question.text).toContain("We are sorry to hear that. What is the reason?");
    expect(question.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual([
      "I changed my mind",
      "I found it cheaper",
      "Delivery takes too long",
      "I ordered by mistake",
      "Another reason",
      "« Keep the order",
    ]);
    await customer.tapButton("I found it cheaper");
    expect(customer.lastBotMessage()!.text).toContain("Cancelled.");
    const webhook = await harness.webhooks.waitFor("order.cancelled", { orderId: order.id });
    expect(webhook.body.data).toMatchObject({ reason: "found_cheaper", order: { state: "cancelled" } });
    expect(isSignedWebhook(webhook, webhookSecret, harness.app.services.clock.now())).toBe(true);
  });

  it("types a new address and sees it read back", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness);
    await customer.tapButton("✏️ Change something");
    await customer.tapButton("Change the address");
    const asking = customer.messages.find((m) => m.message_id === readBack.message_id)!;
    expect(asking.text).toContain("We will deliver to: Hauptstr. 1, 10115 Berlin. Is that right?");
    await customer.sendText("x");
    expect((await customer.waitForMessage()).text).toContain("too short or too long for an address");
    await customer.sendText("Ring 5, 50667 Köln");
    const updated = await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
    expect(updated.text).toContain("Address: Ring 5, 50667 Köln");
    const stored = await harness.api("GET", `/orders/${order.id}`);
    expect(stored.body.delivery.address).toBe("Ring 5, 50667 Köln");
  });

  it("asks for a person, records it and tells the shop", async () => {
    const { order, customer } = await openOrderDialog(harness);
    await customer.tapButton("🙋 Talk to a person");
    expect((await customer.waitForMessage()).text).toBe("Thank you! A person from Demo Shop will answer you here as soon as possible.");
    const webhook = await harness.webhooks.waitFor("order.escalated", { orderId: order.id });
    expect(webhook.body.data.order.dialog.owner).toBe("waiting_manager");
  });
});

describe("stale and foreign buttons", () => {
  it("answers a tap on an older version of the message politely and changes nothing", async () => {
    const { order, customer, readBack: first } = await openOrderDialog(harness);
    const oldConfirm = (first.reply_markup!.inline_keyboard[0]![0] as { callback_data: string }).callback_data;
    await customer.tapButton("✏️ Change something");
    // A second device still shows the keyboard as it was before the tap.
    const answer = await customer.forgeCallbackQuery(oldConfirm, { messageId: first.message_id });
    expect(answer).toMatchObject({
      answered: true,
      text: "That button belongs to an older message. Please use the buttons on the latest one.",
    });
    const stored = await harness.api("GET", `/orders/${order.id}`);
    expect(stored.body).toMatchObject({ state: "awaiting_customer", dialog: { step: "edit_menu", version: 1 } });
  });

  it("refuses a button that names another customer's order, and logs it", async () => {
    const order = await createOrder();
    const owner = harness.addCustomer();
    await owner.sendText(`/start ${startTokenOf(order.startLink)}`);
    const ownersMessage = await owner.waitForMessage();
    const confirmData = (ownersMessage.reply_markup!.inline_keyboard[0]![0] as { callback_data: string }).callback_data;

    const intruder = harness.addCustomer();
    await intruder.sendText("/start");
    const intrudersMessage = await intruder.waitForMessage();
    const answer = await intruder.forgeCallbackQuery(confirmData, { messageId: intrudersMessage.message_id });
    expect(answer).toMatchObject({ answered: true, showAlert: true, text: "This button belongs to someone else's order." });
    const stored = await harness.api("GET", `/orders/${order.id}`);
    expect(stored.body.state).toBe("awaiting_customer");
  });

  it("answers malformed button data without acting on it", async () => {
    const customer = harness.addCustomer();
    await customer.sendText("/start");
    const message = await customer.waitForMessage();
    for (const data of ["og:o:", "og:o:abc:notanumber:c", "og:o:abc:1:zz", "og:o:../../etc:1:c", "og:o:" + "x".repeat(40) + ":1:c"]) {
      const answer = await customer.forgeCallbackQuery(data, { messageId: message.message_id });
      expect(answer.answered).toBe(true);
    }
    expect(customer.messages.filter((m) => m.from?.is_bot)).toHaveLength(1);
  });

  it("tells a customer who re-opens a confirmed order that it is final", async () => {
    const { order, customer } = await openOrderDialog(harness);
    await customer.tapButton("✅ Confirm");
    await customer.sendText(`/start ${startTokenOf(order.startLink)}`);
    const again = await customer.waitForMessage();
    expect(again.text).toContain("Confirmed.");
    expect(again.reply_markup).toBeUndefined();
  });

  it("refuses the start link of an order someone else has claimed", async () => {
    const order = await createOrder();
    const owner = harness.addCustomer();
    const stranger = harness.addCustomer();
    await owner.sendText(`/start ${startTokenOf(order.startLink)}`);
    await owner.waitForMessage();
    await stranger.sendText(`/start ${startTokenOf(order.startLink)}`);
    expect((await stranger.waitForMessage()).text).toBe(
      "This order is already linked to another Telegram account. If it is yours, please contact Demo Shop.",
    );
  });

  it("answers an unknown start token politely and links nothing", async () => {
    const customer = harness.addCustomer();
    await customer.sendText("/start NoSuchTokenNoSuchToken123");
    expect((await customer.waitForMessage()).text).toContain("This link does not lead to an order");
  });
});
