import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Message } from "@grammyjs/types";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { createPng, type TelegramTestUser } from "../../src/telegram-standin/index.js";
import { apiToken, startHarness, type Harness } from "../support/app-harness.js";
import { confirmedOrder, followUpConfig } from "../support/follow-up-kit.js";

const day = 24 * 60 * 60_000;

let harness: Harness | undefined;
let clock: ManualClock;
let photoDirectory: string;

/**
 * ordergram at 10:00 in Berlin (contact hours), with photos kept in a temporary folder and
 * updates by webhook, so the app has a public URL and the photo links in return.requested are
 * absolute.
 */
async function start(returns: Record<string, unknown> = {}): Promise<Harness> {
  clock = new ManualClock("2026-11-24T09:00:00Z");
  photoDirectory = mkdtempSync(path.join(os.tmpdir(), "ordergram-returns-"));
  harness = await startHarness({ clock, webhook: true, configYaml: followUpConfig({ returns: { photos: { directory: photoDirectory }, ...returns } }) });
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  rmSync(photoDirectory, { recursive: true, force: true });
});

const buttons = (message: Message | undefined) => message?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];

/** An order the customer confirmed and the shop reported delivered (through the status API). */
async function deliveredOrder(h: Harness, overrides: Record<string, unknown> = {}) {
  const { order, customer } = await confirmedOrder(h, clock, overrides);
  expect((await h.api("POST", `/orders/${order.id}/status`, { status: "delivered" })).status).toBe(200);
  await customer.waitForMessage((m) => m.text?.includes("Your order has been delivered.") ?? false);
  return { order, customer };
}

/** The customer's next message from the bot, as text. */
const nextText = async (customer: TelegramTestUser) => (await customer.waitForMessage()).text;

/** A message as it is on screen now (the items list is edited in place). */
const current = (customer: TelegramTestUser, messageId: number) => customer.messages.find((m) => m.message_id === messageId)!;

describe("a customer returns items in the chat", () => {
  it("asks for a return with two photos; the shop gets the request and the photos, approves with instructions, and refunds", async () => {
    const h = await start();
    const giftCard = { sku: "GIFT-1", name: "Gift card", quantity: 1, unitPrice: "10.00", returnable: false };
    const { order, customer } = await deliveredOrder(h, {
      items: [
        { sku: "TEA-1", name: "Green tea", quantity: 2, unitPrice: "4.50" },
        { sku: "CUP-7", name: "Clay cup", quantity: 1, unitPrice: 1290 },
        giftCard,
      ],
    });

    await customer.sendText("/return");
    const items = await customer.waitForMessage();
    expect(items.text).toBe(`↩️ Return from order ${order.externalId}\nWhich items would you like to return? Tap an item to choose it, then tap Continue.`);
    // The gift card is not returnable: not offered.
    expect(buttons(items)).toEqual(["Green tea (up to 2)", "Clay cup (up to 1)", "✖️ Cancel"]);

    await customer.tapButton("Green tea (up to 2)");
    expect(current(customer, items.message_id).text).toBe("How many of Green tea would you like to return?");
    expect(buttons(current(customer, items.message_id))).toEqual(["1", "2", "✖️ Cancel"]);
    await customer.tapButton("2");
    expect(current(customer, items.message_id).text).toContain("Chosen:\n• Green tea × 2");
    expect(buttons(current(customer, items.message_id))).toEqual(["✔️ Green tea: 2 of 2", "Clay cup (up to 1)", "➡️ Continue", "✖️ Cancel"]);
    await customer.tapButton("➡️ Continue");

    const reason = await customer.waitForMessage();
    expect(reason.text).toBe("Why would you like to return them?");
    expect(buttons(reason)).toEqual(["Wrong size", "Arrived damaged", "Wrong item sent", "Not as described", "Changed my mind", "Other reason", "✖️ Cancel"]);
    await customer.tapButton("Arrived damaged");
    expect(await nextText(customer)).toBe("Please send a photo that shows the problem (up to 5 photos). When you have sent them all, tap Done.");

    const first = createPng({ width: 640, height: 480 }, [200, 30, 30]);
    const second = createPng({ width: 480, height: 640 }, [30, 30, 200]);
    await customer.sendPhoto(first);
    expect(await nextText(customer)).toBe("Photo 1 received. Send another one, or tap Done.");
    await customer.sendPhoto(second);
    const secondAck = await customer.waitForMessage();
    expect(secondAck.text).toBe("Photo 2 received. Send another one, or tap Done.");
    await customer.tapButton("✅ Done");
    expect(await nextText(customer)).toBe("Would you like to add a comment? Write it in one message, or tap Skip.");
    await customer.sendText("The box was crushed & the tins are dented");
    const resolution = await customer.waitForMessage();
    expect(buttons(resolution)).toEqual(["💶 My money back", "🔄 An exchange", "🎁 Store credit", "✖️ Cancel"]);
    await customer.tapButton("💶 My money back");

    const review = await customer.waitForMessage();
    expect(review.text).toBe(
      [
        `Your return request for order ${order.externalId}`,
        "Items:",
        "• Green tea × 2",
        "Reason: Arrived damaged",
        "Photos: 2",
        "Comment: The box was crushed & the tins are dented",
        "You would like: 💶 My money back",
        "",
        "Is everything right? Shall I send it to the shop?",
      ].join("\n"),
    );
    expect(buttons(review)).toEqual(["📨 Send the request", "🔄 Start over", "✖️ Cancel"]);
    await customer.tapButton("📨 Send the request");
    expect(await nextText(customer)).toBe(
      `📨 Thank you! Your return request for order ${order.externalId} has been sent to Demo Shop. I will write to you here as soon as they answer.`,
    );

    // The shop hears of it, with links to the photos that only it can download.
    const webhook = await h.webhooks.waitFor("return.requested", { orderId: order.id });
    const request = webhook.body.data.returnRequest;
    expect(request).toMatchObject({
      orderId: order.id,
      orderExternalId: order.externalId,
      status: "requested",
      items: [{ position: 0, sku: "TEA-1", name: "Green tea", quantity: 2 }],
      reason: "damaged",
      comment: "The box was crushed & the tins are dented",
      resolution: { type: "refund", exchangeFor: null },
      language: "en",
    });
    expect(webhook.body.data.order.items.find((i: { sku: string }) => i.sku === "GIFT-1")).toBeDefined();
    expect(request.photos).toHaveLength(2);
    const downloads = await Promise.all(
      request.photos.map(async (photo: { url: string }) => {
        expect(photo.url).toMatch(new RegExp(`^${h.app.url}/api/v1/returns/${request.id}/photos/`));
        expect((await fetch(photo.url)).status).toBe(401);
        const response = await fetch(photo.url, { headers: { authorization: `Bearer ${apiToken}` } });
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe("image/png");
        return new Uint8Array(await response.arrayBuffer());
      }),
    );
    expect(downloads).toEqual([first, second]);
    // And kept in the configured folder.
    await expect.poll(async () => (await h.database.db.returnPhoto.findMany({ where: { returnRequestId: request.id, storedPath: { not: null } } })).length).toBe(2);
    const kept = await h.database.db.returnPhoto.findMany({ where: { returnRequestId: request.id }, orderBy: { position: "asc" } });
    expect(kept.map((p) => new Uint8Array(readFileSync(path.join(photoDirectory, p.storedPath!))))).toEqual([first, second]);

    // Approved, with instructions the customer reads in the chat.
    const approved = await h.api("POST", `/returns/${request.id}/status`, {
      status: "approved",
      instructions: { labelUrl: "https://shop.example/labels/R1.pdf", address: "Demo Shop Returns, Lagerstr. 5, 10115 Berlin", pickup: { date: "2026-11-27", window: "10:00-14:00" } },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", changed: true });
    expect(await nextText(customer)).toBe(
      [
        `✅ Your return for order ${order.externalId} has been approved.`,
        "Return label: https://shop.example/labels/R1.pdf",
        "Please send the items to: Demo Shop Returns, Lagerstr. 5, 10115 Berlin",
        "A courier will collect them on Friday, November 27, 10:00-14:00.",
      ].join("\n"),
    );
    expect((await h.api("POST", `/returns/${request.id}/status`, { status: "received" })).status).toBe(200);
    expect(await nextText(customer)).toBe(`📦 Demo Shop has received your return for order ${order.externalId}. We will let you know as soon as it is processed.`);
    expect((await h.api("POST", `/returns/${request.id}/status`, { status: "refunded", amount: "9.00" })).status).toBe(200);
    expect(await nextText(customer)).toBe(`💶 Your refund of €9.00 for order ${order.externalId} has been issued. It can take a few days to reach your account.`);

    // Repeating a status sends nothing again; going backwards is refused.
    expect((await h.api("POST", `/returns/${request.id}/status`, { status: "refunded", amount: "9.00" })).body.changed).toBe(false);
    const backwards = await h.api("POST", `/returns/${request.id}/status`, { status: "approved", instructions: { note: "again" } });
    expect(backwards.status).toBe(409);
    expect(backwards.body.error.code).toBe("RETURN_STATUS_NOT_ALLOWED");

    const listed = await h.api("GET", `/returns?orderId=${order.id}`);
    expect(listed.body.returns.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([[request.id, "refunded"]]);
    expect(listed.body.returns[0].history.map((e: { status: string }) => e.status)).toEqual(["approved", "received", "refunded"]);
    expect((await h.api("GET", "/returns?status=requested")).body.returns).toEqual([]);
    const history = (await h.api("GET", `/orders/${order.id}`)).body.history.map((e: { type: string }) => e.type);
    expect(history).toEqual(expect.arrayContaining(["return.requested", "return.approved", "return.received", "return.refunded"]));
    const openapi = await h.api("GET", "/openapi.json");
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(["/returns", "/returns/{id}", "/returns/{id}/status", "/returns/{id}/photos/{photoId}"]));
    // Every message of the status changes went out once.
    expect(customer.messages.filter((m) => m.text?.startsWith("💶 Your refund"))).toHaveLength(1);
  });

  it("offers a person when the return window has closed", async () => {
    const h = await start({ windowDays: 14 });
    const { order, customer } = await deliveredOrder(h);
    clock.advance(15 * day);

    await customer.sendText("/return");
    const refusal = await customer.waitForMessage();
    expect(refusal.text).toBe(
      `I am sorry: the return period for order ${order.externalId} ended on December 8, so I cannot take a return here. A person from Demo Shop can still look at your case: shall I pass it on?`,
    );
    expect(buttons(refusal)).toEqual(["🙋 Talk to a person"]);
    await customer.tapButton("🙋 Talk to a person");
    expect(await nextText(customer)).toBe(`I have passed your return for order ${order.externalId} to a person from Demo Shop.`);
    const escalated = await h.webhooks.waitFor("order.escalated", { orderId: order.id });
    expect(escalated.body.data.reason).toBe("customer_request");
    expect(await h.database.db.returnRequest.count({ where: { orderId: order.id } })).toBe(0);
  });

  it("answers wrong input kindly at every step, and refuses a second request for the same items", async () => {
    const h = await start();
    const { order, customer } = await deliveredOrder(h);
    await customer.sendText("/return");
    const items = await customer.waitForMessage();

    // Items: text and photos are not what this step takes.
    await customer.sendText("the tea please");
    expect(await nextText(customer)).toBe("Please choose with the buttons above.");
    await customer.sendPhoto({ width: 100, height: 100 });
    expect(await nextText(customer)).toBe("Thank you for the photo! I do not need one at this step: please choose with the buttons above.");
    await customer.tapButton("Green tea (up to 2)", { messageId: items.message_id });
    await customer.sendText("five");
    expect(await nextText(customer)).toBe("Please choose how many with the buttons, or type a number from 1 to 2.");
    await customer.sendText("3");
    expect(await nextText(customer)).toBe("Please choose how many with the buttons, or type a number from 1 to 2.");
    await customer.sendText("2");
    const retyped = await customer.waitForMessage();
    expect(retyped.text).toContain("Chosen:\n• Green tea × 2");
    // The cup as well.
    await customer.tapButton("Clay cup (up to 1)", { messageId: retyped.message_id });
    await customer.tapButton("➡️ Continue", { messageId: retyped.message_id });

    // Reason: buttons only.
    await customer.waitForMessage();
    await customer.sendText("it broke");
    expect(await nextText(customer)).toBe("Please choose with the buttons above.");
    await customer.tapButton("Arrived damaged");
    await customer.waitForMessage();

    // Photos: text, a picture sent as a file, and Done before any photo.
    await customer.sendText("see the box");
    expect(await nextText(customer)).toBe(
      "Here I need photos: please send a picture with the 📎 button (you can add a comment at the next step). When you have sent them all, tap Done.",
    );
    await customer.sendDocument(createPng({ width: 50, height: 50 }), { fileName: "box.png", mimeType: "image/png" });
    expect(await nextText(customer)).toBe("Please send the picture as a photo rather than as a file, so I can show it to the shop.");
    const photoPrompt = customer.lastBotMessage()!;
    const early = await customer.forgeCallbackQuery("og:rt:f:d", { messageId: photoPrompt.message_id });
    expect(early.text).toBe("Please send at least one photo first.");
    await customer.sendPhoto({ width: 300, height: 200 });
    await customer.waitForMessage();
    await customer.tapButton("✅ Done");

    // Comment: a photo is not a comment.
    await customer.waitForMessage();
    await customer.sendPhoto({ width: 300, height: 200 });
    expect(await nextText(customer)).toBe("Thank you for the photo! Here I need a few words as text: please write them in one message.");
    await customer.tapButton("Skip");

    // Resolution: buttons; then the exchange is typed, not photographed.
    await customer.waitForMessage();
    await customer.sendText("money back");
    expect(await nextText(customer)).toBe("Please choose with the buttons above.");
    await customer.tapButton("🔄 An exchange");
    expect(await nextText(customer)).toBe("What would you like to exchange it for (another size, another colour...)? Please write it in one message.");
    await customer.sendPhoto({ width: 300, height: 200 });
    expect(await nextText(customer)).toBe("Thank you for the photo! Here I need a few words as text: please write them in one message.");
    await customer.sendText("Black tea instead");

    // Read-back: buttons only; a button of an earlier step is refused.
    const review = await customer.waitForMessage();
    expect(review.text).toContain("• Green tea × 2\n• Clay cup × 1");
    expect(review.text).toContain("You would like: 🔄 An exchange\nIn exchange for: Black tea instead");
    await customer.sendText("yes");
    expect(await nextText(customer)).toBe("Please choose with the buttons above.");
    expect((await customer.forgeCallbackQuery("og:rt:f:k", { messageId: review.message_id })).text).toBe("That button belongs to an earlier step: please use the latest message.");
    await customer.tapButton("📨 Send the request");
    await customer.waitForMessage((m) => m.text?.startsWith("📨 Thank you!") ?? false);
    const webhook = await h.webhooks.waitFor("return.requested", { orderId: order.id });
    expect(webhook.body.data.returnRequest.resolution).toEqual({ type: "exchange", exchangeFor: "Black tea instead" });

    // A second request for the same items: refused, with the open one.
    await customer.sendText("/return");
    expect(await nextText(customer)).toBe(
      `You already asked to return these items from order ${order.externalId} on November 24: Green tea × 2, Clay cup × 1. Status: waiting for the shop's answer. I will write to you here as soon as there is news.`,
    );
    // An old form's button does nothing but say so.
    expect((await customer.forgeCallbackQuery("og:rt:f:s", { messageId: review.message_id })).text).toBe("This form is closed. To start a return, send /return.");
    expect(await h.database.db.returnRequest.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("keeps a half-filled form across a restart", async () => {
    const h = await start();
    const { order, customer } = await deliveredOrder(h);
    await customer.sendText("/return");
    await customer.waitForMessage();
    await customer.tapButton("Clay cup (up to 1)");
    await customer.tapButton("➡️ Continue");
    await customer.waitForMessage();
    await customer.tapButton("Wrong item sent");
    await customer.waitForMessage();
    const first = createPng({ width: 320, height: 240 }, [10, 200, 10]);
    await customer.sendPhoto(first);
    expect(await nextText(customer)).toBe("Photo 1 received. Send another one, or tap Done.");

    await h.restart();

    const second = createPng({ width: 320, height: 240 }, [10, 10, 10]);
    await customer.sendPhoto(second);
    expect(await nextText(customer)).toBe("Photo 2 received. Send another one, or tap Done.");
    await customer.tapButton("✅ Done");
    await customer.waitForMessage();
    await customer.tapButton("Skip");
    await customer.waitForMessage();
    await customer.tapButton("🎁 Store credit");
    const review = await customer.waitForMessage();
    expect(review.text).toContain("• Clay cup × 1\nReason: Wrong item sent\nPhotos: 2");
    await customer.tapButton("📨 Send the request");
    const webhook = await h.webhooks.waitFor("return.requested", { orderId: order.id });
    const photos = webhook.body.data.returnRequest.photos as Array<{ path: string }>;
    const bytes = await Promise.all(
      photos.map(async (photo) => new Uint8Array(await (await fetch(`${h.app.url}${photo.path}`, { headers: { authorization: `Bearer ${apiToken}` } })).arrayBuffer())),
    );
    expect(bytes).toEqual([first, second]);
  });

  it("starts from the button under a message about a delivered order, lists several orders for /return, and cancels", async () => {
    const h = await start();
    const one = await deliveredOrder(h);
    const customer = one.customer;
    // A second order of the same customer, delivered too.
    const created = await h.api("POST", "/orders", {
      externalId: `B-${Date.now()}`,
      customer: { name: "Anna", telegramUserId: customer.id, language: "en" },
      currency: "EUR",
      items: [{ sku: "MUG-1", name: "Mug", quantity: 1, unitPrice: "8.00" }],
      delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin" },
    });
    expect(created.status).toBe(201);
    await customer.waitForMessage((m) => m.text?.includes(`Order ${created.body.externalId}`) ?? false);
    await customer.tapButton("✅ Confirm");
    clock.advance(60 * 60_000);
    await h.api("POST", `/orders/${created.body.id}/status`, { status: "delivered" });
    await customer.waitForMessage((m) => m.text?.includes("Your order has been delivered.") ?? false);

    await customer.sendText("/return");
    const menu = await customer.waitForMessage();
    expect(menu.text).toBe("Which order would you like to return items from?");
    expect(buttons(menu)).toEqual([`Order ${created.body.externalId}, delivered November 24`, `Order ${one.order.externalId}, delivered November 24`]);
    await customer.tapButton(`Order ${created.body.externalId}, delivered November 24`);
    const items = await customer.waitForMessage();
    expect(buttons(items)).toEqual(["Mug (up to 1)", "✖️ Cancel"]);
    await customer.tapButton("✖️ Cancel");
    expect(await nextText(customer)).toBe("All right, the return request is cancelled. You can start again at any time with /return.");

    // The button issue 5's thank-you message carries (here forged on the delivered message).
    const delivered = customer.messages.filter((m) => m.text?.includes("Your order has been delivered.")).at(0)!;
    await customer.forgeCallbackQuery(`og:rt:s:${one.order.id}`, { messageId: delivered.message_id });
    expect((await customer.waitForMessage()).text).toContain(`Return from order ${one.order.externalId}`);
    // Another customer cannot open it.
    const stranger = h.addCustomer();
    await stranger.sendText("/return");
    expect(await nextText(stranger)).toBe("I cannot find a delivered order of yours. If you need help with an order, just write to us here and a person from Demo Shop will help.");
  });
});
