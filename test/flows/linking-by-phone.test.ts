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
    await harness.api(
      "POST",
      "/orders",
      orderPayload({ externalId: "OWNED-1", customer: { name: "Owner", phone: "+4915244445555", telegramUserId: owner.id } }),
    );
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

describe("a customer who writes the order number in the chat", () => {
  const unique = () => `ON-${Math.random().toString(36).slice(2, 7).toUpperCase()}1`;

  it("is shown the order only after sharing the phone it was placed with; a stranger sees nothing of it", async () => {
    const externalId = unique();
    const order = (
      await harness.api("POST", "/orders", orderPayload({ externalId, customer: { name: "Petra", phone: "+49 170 5550999" } }))
    ).body;

    const stranger = harness.addCustomer({ firstName: "Mallory", phone: "4917000000001" });
    await stranger.sendText(externalId);
    const ask = await stranger.waitForMessage();
    expect(ask.text).toBe(
      `If order ${externalId} is yours, share the phone number it was placed with (the button below) and I will show it to you.`,
    );
    // The button under it shares the contact (a reply keyboard with request_contact).
    await stranger.pressReplyButton("📱 Share my phone number");
    expect((await stranger.waitForMessage()).text).toContain("I could not find open orders for +4917000000001");
    expect(stranger.messages.some((m) => m.text?.includes("Green tea"))).toBe(false);
    expect((await harness.api("GET", `/orders/${order.id}`)).body.customer.telegramLinked).toBe(false);

    const petra = harness.addCustomer({ firstName: "Petra", phone: "491705550999" });
    await petra.sendText(`#${externalId}`);
    expect((await petra.waitForMessage()).text).toContain(`If order ${externalId} is yours`);
    await petra.pressReplyButton("📱 Share my phone number");
    await petra.waitForMessage((m) => m.text?.startsWith("Here is what I found") ?? false);
    await petra.waitForMessage((m) => m.text?.includes(`• Order ${externalId}`) ?? false);
    await petra.tapButton("Yes, they are mine");
    const readBack = await petra.waitForMessage((m) => m.text?.includes(`Order ${externalId}`) ?? false);
    expect(readBack.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain("✅ Confirm");

    // Hers now: the number brings the order up at once.
    await petra.sendText(externalId);
    const again = await petra.waitForMessage((m) => m.text?.includes(`Order ${externalId}`) ?? false);
    expect(again.text).toContain("Green tea");
  });

  it("is offered the order at once when the phone shared before is the order's", async () => {
    const ida = harness.addCustomer({ firstName: "Ida", phone: "491705550888" });
    await ida.sendText("/start");
    await ida.waitForMessage();
    await ida.shareContact();
    expect((await ida.waitForMessage()).text).toContain("I could not find open orders");

    const externalId = unique();
    const order = (await harness.api("POST", "/orders", orderPayload({ externalId, customer: { name: "Ida", phone: "+49 170 5550888" } })))
      .body;
    await ida.sendText(externalId);
    const offer = await ida.waitForMessage((m) => m.text?.includes(`• Order ${externalId}`) ?? false);
    expect(offer.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(["Yes, they are mine", "No, not mine"]);
    await ida.tapButton("Yes, they are mine");
    await ida.waitForMessage((m) => (m.text?.includes(`Order ${externalId}`) && m.text.includes("Green tea") ? true : false));
    expect((await harness.api("GET", `/orders/${order.id}`)).body.customer.telegramLinked).toBe(true);
  });
});
