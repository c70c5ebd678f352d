import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, webhookSecret, type Harness } from "../support/app-harness.js";
import { orderPayload } from "../support/order-payload.js";
import { isSignedWebhook } from "../support/webhook-receiver.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});

describe("a customer without the link finds the order with the phone number", () => {
  it("shares the phone after /start, confirms the orders are theirs, and gets the read-back", async () => {
    const phone = "+7 (916) 555-12-34";
    const first = (await harness.api("POST", "/orders", orderPayload({ externalId: "PH-1", customer: { name: "Olga", phone } }))).body;
    const second = (await harness.api("POST", "/orders", orderPayload({ externalId: "PH-2", customer: { name: "Olga", phone } }))).body;
    const olga = harness.addCustomer({ firstName: "Olga", phone: "79165551234" });

    await olga.sendText("/start");
    expect((await olga.waitForMessage()).text).toContain("please share the phone number you ordered with");
    await olga.shareContact();
    expect((await olga.waitForMessage()).text).toBe("Here is what I found for +79165551234:");
    const question = await olga.waitForMessage();
    expect(question.text).toContain("• Order PH-1: €26.80, Green tea, Clay cup");
    expect(question.text).toContain("• Order PH-2: €26.80, Green tea, Clay cup");
    expect(question.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual([
      "Yes, they are mine",
      "Only PH-1",
      "Only PH-2",
      "No, not mine",
    ]);

    await olga.tapButton("Only PH-2");
    const readBack = await olga.waitForMessage();
    expect(readBack.text).toContain("Good");
    expect(readBack.text).toContain("Order PH-2");
    expect((await harness.api("GET", `/orders/${second.id}`)).body.customer.telegramLinked).toBe(true);
    expect((await harness.api("GET", `/orders/${first.id}`)).body.customer.telegramLinked).toBe(false);

    // ...and confirms it: the shop gets the signed webhook.
    await olga.tapButton("✅ Confirm", { messageId: readBack.message_id });
    const webhook = await harness.webhooks.waitFor("order.confirmed", { orderId: second.id });
    expect(isSignedWebhook(webhook, webhookSecret, harness.app.services.clock.now())).toBe(true);
    expect(webhook.body.data.order).toMatchObject({ externalId: "PH-2", state: "confirmed" });
  });

  it("finds the order the shop sent with the customer's Telegram id when they first open the bot", async () => {
    const customer = harness.addCustomer();
    await harness.api("POST", "/orders", orderPayload({ externalId: "TGID-1", customer: { name: "Tom", telegramUserId: customer.id } }));
    await customer.sendText("/start");
    const readBack = await customer.waitForMessage();
    expect(readBack.text).toContain("Order TGID-1");
    expect(readBack.text).toContain("Is everything correct?");
  });

  it("does not offer by phone an order the shop sent for another Telegram user", async () => {
    const owner = harness.addCustomer();
    await harness.api("POST", "/orders", orderPayload({ externalId: "OWNED-1", customer: { name: "Owner", phone: "+4915244445555", telegramUserId: owner.id } }));
    const other = harness.addCustomer({ phone: "+4915244445555" });
    await other.sendText("/start");
    await other.waitForMessage();
    await other.shareContact();
    expect((await other.waitForMessage()).text).toContain("I could not find open orders for +4915244445555.");
  });

  it("tells the customer when no open order has that phone", async () => {
    const customer = harness.addCustomer({ phone: "+380501112233" });
    await customer.sendText("/start");
    await customer.waitForMessage();
    await customer.shareContact();
    expect((await customer.waitForMessage()).text).toContain("I could not find open orders for +380501112233.");
  });

  it("does not accept someone else's contact card as proof of the number", async () => {
    await harness.api("POST", "/orders", orderPayload({ customer: { name: "Victim", phone: "+4915112345678" } }));
    const customer = harness.addCustomer();
    await customer.sendText("/start");
    await customer.waitForMessage();
    await customer.sendContactCard({ phoneNumber: "+4915112345678", firstName: "Victim" });
    expect((await customer.waitForMessage()).text).toBe("Please share your own number with the button below, not someone else's contact.");
    expect(customer.replyKeyboard()?.keyboard[0]?.[0]).toMatchObject({ request_contact: true });
  });

  it("links nothing when the customer says the orders are not theirs", async () => {
    const order = (await harness.api("POST", "/orders", orderPayload({ customer: { name: "Nick", phone: "+4915199999999" } }))).body;
    const customer = harness.addCustomer({ phone: "+49 151 99999999" });
    await customer.sendText("/start");
    await customer.waitForMessage();
    await customer.shareContact();
    await customer.waitForMessage();
    await customer.waitForMessage();
    await customer.tapButton("No, not mine");
    expect((await customer.waitForMessage()).text).toContain("I have not linked anything");
    expect((await harness.api("GET", `/orders/${order.id}`)).body.customer.telegramLinked).toBe(false);
  });

  it("shows a returning customer their open orders on /start", async () => {
    const customer = harness.addCustomer({ phone: "+4917612312312" });
    await customer.sendText("/start");
    await customer.waitForMessage();
    await harness.api("POST", "/orders", orderPayload({ externalId: "RET-1", customer: { name: "Rita", telegramUserId: customer.id } }));
    await customer.waitForMessage((m) => m.text?.includes("Order RET-1") ?? false);
    await customer.sendText("/start");
    const again = await customer.waitForMessage();
    expect(again.text).toContain("Order RET-1");
    expect(again.text).toContain("Is everything correct?");
  });
});
