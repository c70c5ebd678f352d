import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Message } from "@grammyjs/types";
import { afterEach, describe, expect, it } from "vitest";
import { escalateOrder } from "../../src/services/escalate-order.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createPng, type TelegramTestGroup, type TelegramTestUser } from "../../src/telegram-standin/index.js";
import { apiToken, startHarness, type Harness } from "../support/app-harness.js";
import { confirmedOrder, followUpConfig } from "../support/follow-up-kit.js";
import { openOrderDialog } from "../support/order-payload.js";

const day = 24 * 60 * 60_000;

let harness: Harness | undefined;
let clock: ManualClock;
let photoDirectory: string;

interface Managers {
  group: TelegramTestGroup;
  maria: TelegramTestUser;
}

/**
 * ordergram at 10:00 in Berlin (contact hours), with photos kept in a temporary folder and
 * updates by webhook, so the app has a public URL and the photo links in return.requested are
 * absolute. `managers`: a managers' forum with Maria in it. `configFile`: the config is a file on
 * disk, which the test may change (harness.app.reloadConfig()).
 */
async function start(returns: Record<string, unknown> = {}, options: { managers?: Managers; configFile?: string } = {}): Promise<Harness> {
  clock = new ManualClock("2026-11-24T09:00:00Z");
  photoDirectory = mkdtempSync(path.join(os.tmpdir(), "ordergram-returns-"));
  const yaml = returnsConfig(returns);
  if (options.configFile) writeFileSync(options.configFile, yaml);
  const { managers } = options;
  harness = await startHarness({
    clock,
    webhook: true,
    ...(options.configFile ? { configFile: options.configFile } : { configYaml: yaml }),
    ...(managers
      ? {
          prepare: (standin, file) => {
            managers.maria = standin.addUser({ firstName: "Maria", languageCode: "en" });
            managers.group = standin.addForumGroup({ title: "Demo Shop managers", members: [], admins: [managers.maria] });
            file.managers.groupChatId = BigInt(managers.group.id);
            file.managers.workingHours = null;
          },
        }
      : {}),
  });
  return harness;
}

/** The test config's YAML with these returns settings (photos kept in the test's folder unless they say otherwise). */
const returnsConfig = (returns: Record<string, unknown>) =>
  followUpConfig({
    returns: { ...returns, photos: { directory: photoDirectory, ...(returns.photos as Record<string, unknown> | undefined) } },
  });

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  rmSync(photoDirectory, { recursive: true, force: true });
});

const buttons = (message: Message | undefined) => message?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];

/** An order the customer confirmed and the shop reported delivered (through the status API); `thanks` is the message about it. */
async function deliveredOrder(h: Harness, overrides: Record<string, unknown> = {}) {
  const { order, customer } = await confirmedOrder(h, clock, overrides);
  expect((await h.api("POST", `/orders/${order.id}/status`, { status: "delivered" })).status).toBe(200);
  const thanks = await customer.waitForMessage((m) => m.text?.includes("Your order has been delivered.") ?? false);
  return { order, customer, thanks };
}

/** The customer's next message from the bot, as text. */
const nextText = async (customer: TelegramTestUser) => (await customer.waitForMessage()).text;

/** A message as it is on screen now (the items list is edited in place). */
const current = (customer: TelegramTestUser, messageId: number) => customer.messages.find((m) => m.message_id === messageId)!;

/** Everything the bot has said in the customer's chat so far. */
const botTexts = (customer: TelegramTestUser) => customer.messages.filter((m) => m.from?.is_bot).map((m) => m.text ?? "");

/**
 * The shortest form: one item with one left (a tap chooses it), a reason without photos, no
 * comment, then `resolution`; sent. Returns the request the shop received.
 */
async function quickReturn(
  h: Harness,
  customer: TelegramTestUser,
  input: { orderId: string; item: string; reason: string; resolution: string; quantity?: string },
) {
  const requests = () => h.webhooks.received.filter((w) => w.body.type === "return.requested" && w.body.data.order.id === input.orderId);
  const before = requests().length;
  await customer.sendText("/return");
  const items = await customer.waitForMessage((m) => m.text?.includes("Which items") ?? false);
  await customer.tapButton(input.item, { messageId: items.message_id });
  if (input.quantity) await customer.tapButton(input.quantity, { messageId: items.message_id });
  await customer.tapButton("➡️ Continue", { messageId: items.message_id });
  await customer.waitForMessage((m) => m.text === "Why would you like to return them?");
  await customer.tapButton(input.reason);
  await customer.waitForMessage((m) => m.text?.startsWith("Would you like to add a comment?") ?? false);
  await customer.tapButton("Skip");
  await customer.waitForMessage((m) => m.text === "What would you like instead?");
  await customer.tapButton(input.resolution);
  await customer.waitForMessage((m) => m.text?.startsWith("Your return request for order") ?? false);
  await customer.tapButton("📨 Send the request");
  await customer.waitForMessage((m) => m.text?.startsWith("📨 Thank you!") ?? false);
  await expect.poll(() => requests().length).toBe(before + 1);
  return requests()[before]!.body.data.returnRequest as { id: string; createdAt: string };
}

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
    expect(items.text).toBe(
      `↩️ Return from order ${order.externalId}\nWhich items would you like to return? Tap an item to choose it, then tap Continue.`,
    );
    // The gift card is not returnable: not offered.
    expect(buttons(items)).toEqual(["Green tea (up to 2)", "Clay cup (up to 1)", "✖️ Cancel", "🙋 Talk to a person"]);

    await customer.tapButton("Green tea (up to 2)");
    expect(current(customer, items.message_id).text).toBe("How many of Green tea would you like to return?");
    expect(buttons(current(customer, items.message_id))).toEqual(["1", "2", "✖️ Cancel", "🙋 Talk to a person"]);
    await customer.tapButton("2");
    expect(current(customer, items.message_id).text).toContain("Chosen:\n• Green tea × 2");
    expect(buttons(current(customer, items.message_id))).toEqual([
      "✔️ Green tea: 2 of 2",
      "Clay cup (up to 1)",
      "➡️ Continue",
      "✖️ Cancel",
      "🙋 Talk to a person",
    ]);
    await customer.tapButton("➡️ Continue");

    const reason = await customer.waitForMessage();
    expect(reason.text).toBe("Why would you like to return them?");
    expect(buttons(reason)).toEqual([
      "Wrong size",
      "Arrived damaged",
      "Wrong item sent",
      "Not as described",
      "Changed my mind",
      "Other reason",
      "✖️ Cancel",
      "🙋 Talk to a person",
    ]);
    await customer.tapButton("Arrived damaged");
    expect(await nextText(customer)).toBe(
      "Please send a photo that shows the problem (up to 5 photos). When you have sent them all, tap Done.",
    );

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
    expect(buttons(resolution)).toEqual(["💶 My money back", "🔄 An exchange", "🎁 Store credit", "✖️ Cancel", "🙋 Talk to a person"]);
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
    expect(buttons(review)).toEqual(["📨 Send the request", "🔄 Start over", "✖️ Cancel", "🙋 Talk to a person"]);
    await customer.tapButton("📨 Send the request");
    expect(await nextText(customer)).toBe(
      `📨 Thank you! Your return request for order ${order.externalId} has been sent to Demo Shop. I will write to you here as soon as ` +
        `they answer.`,
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
    await expect
      .poll(
        async () =>
          (await h.database.db.returnPhoto.findMany({ where: { returnRequestId: request.id, storedPath: { not: null } } })).length,
      )
      .toBe(2);
    const kept = await h.database.db.returnPhoto.findMany({ where: { returnRequestId: request.id }, orderBy: { position: "asc" } });
    expect(kept.map((p) => new Uint8Array(readFileSync(path.join(photoDirectory, p.storedPath!))))).toEqual([first, second]);

    // Approved, with instructions the customer reads in the chat.
    const approved = await h.api("POST", `/returns/${request.id}/status`, {
      status: "approved",
      instructions: {
        labelUrl: "https://shop.example/labels/R1.pdf",
        address: "Demo Shop Returns, Lagerstr. 5, 10115 Berlin",
        pickup: { date: "2026-11-27", window: "10:00-14:00" },
      },
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
    expect(await nextText(customer)).toBe(
      `📦 Demo Shop has received your return for order ${order.externalId}. We will let you know as soon as it is processed.`,
    );
    expect((await h.api("POST", `/returns/${request.id}/status`, { status: "refunded", amount: "9.00" })).status).toBe(200);
    expect(await nextText(customer)).toBe(
      `💶 Your refund of €9.00 for order ${order.externalId} has been issued. It can take a few days to reach your account.`,
    );

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
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(["/returns", "/returns/{id}", "/returns/{id}/status", "/returns/{id}/photos/{photoId}"]),
    );
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
      `I am sorry: the return period for order ${order.externalId} ended on December 8, so I cannot take a return here. A person from ` +
        `Demo Shop can still look at your case: shall I pass it on?`,
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
      "Here I need photos: please send a picture with the 📎 button (you can add a comment at the next step). When you have sent them " +
        "all, tap Done.",
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
    expect(await nextText(customer)).toBe(
      "What would you like to exchange it for (another size, another colour...)? Please write it in one message.",
    );
    await customer.sendPhoto({ width: 300, height: 200 });
    expect(await nextText(customer)).toBe("Thank you for the photo! Here I need a few words as text: please write them in one message.");
    await customer.sendText("Black tea instead");

    // Read-back: buttons only; a button of an earlier step is refused.
    const review = await customer.waitForMessage();
    expect(review.text).toContain("• Green tea × 2\n• Clay cup × 1");
    expect(review.text).toContain("You would like: 🔄 An exchange\nIn exchange for: Black tea instead");
    await customer.sendText("yes");
    expect(await nextText(customer)).toBe("Please choose with the buttons above.");
    expect((await customer.forgeCallbackQuery("og:rt:f:k", { messageId: review.message_id })).text).toBe(
      "That button belongs to an earlier step: please use the latest message.",
    );
    await customer.tapButton("📨 Send the request");
    await customer.waitForMessage((m) => m.text?.startsWith("📨 Thank you!") ?? false);
    const webhook = await h.webhooks.waitFor("return.requested", { orderId: order.id });
    expect(webhook.body.data.returnRequest.resolution).toEqual({ type: "exchange", exchangeFor: "Black tea instead" });

    // A second request for the same items: refused, with the open one.
    await customer.sendText("/return");
    expect(await nextText(customer)).toBe(
      `You already asked to return these items from order ${order.externalId} on November 24: Green tea × 2, Clay cup × 1. Status: ` +
        `waiting for the shop's answer. I will write to you here as soon as there is news.`,
    );
    // An old form's button does nothing but say so.
    expect((await customer.forgeCallbackQuery("og:rt:f:s", { messageId: review.message_id })).text).toBe(
      "This form is closed. To start a return, send /return.",
    );
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
      photos.map(
        async (photo) =>
          new Uint8Array(
            await (await fetch(`${h.app.url}${photo.path}`, { headers: { authorization: `Bearer ${apiToken}` } })).arrayBuffer(),
          ),
      ),
    );
    expect(bytes).toEqual([first, second]);
  });

  it(
    "starts from the button under the thanks after delivery, which stays there after a rating; lists several orders for /return, and " +
      "cancels",
    async () => {
      const h = await start();
      const one = await deliveredOrder(h);
      const customer = one.customer;
      // The thanks after delivery: the rating's stars, and "Return items" under them.
      expect(buttons(one.thanks)).toEqual(["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐", "↩️ Return items"]);
      // A second order of the same customer: a gift card, which cannot go back, so no return button.
      const created = await h.api("POST", "/orders", {
        externalId: `B-${Date.now()}`,
        customer: { name: "Anna", telegramUserId: customer.id, language: "en" },
        currency: "EUR",
        items: [{ sku: "GIFT-1", name: "Gift card", quantity: 1, unitPrice: "10.00", returnable: false }],
        delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin" },
      });
      expect(created.status).toBe(201);
      await customer.waitForMessage((m) => m.text?.includes(`Order ${created.body.externalId}`) ?? false);
      await customer.tapButton("✅ Confirm");
      clock.advance(60 * 60_000);
      await h.api("POST", `/orders/${created.body.id}/status`, { status: "delivered" });
      const giftThanks = await customer.waitForMessage((m) => m.text?.includes("Your order has been delivered.") ?? false);
      expect(buttons(giftThanks)).toEqual(["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐"]);

      await customer.sendText("/return");
      const menu = await customer.waitForMessage();
      expect(menu.text).toBe("Which order would you like to return items from?");
      expect(buttons(menu)).toEqual([
        `Order ${created.body.externalId}, delivered November 24`,
        `Order ${one.order.externalId}, delivered November 24`,
      ]);
      // Nothing of the gift card order can go back: a person is offered with a real button.
      await customer.tapButton(`Order ${created.body.externalId}, delivered November 24`);
      const nothing = await customer.waitForMessage();
      expect(nothing.text).toBe(
        `The items of order ${created.body.externalId} cannot be returned. If something is wrong with them, tap the button below and a ` +
          `person from Demo Shop will help.`,
      );
      expect(buttons(nothing)).toEqual(["🙋 Talk to a person"]);

      // Rated: the stars give way to "Add a comment", and "Return items" stays.
      await customer.tapButton("5 ⭐", { messageId: one.thanks.message_id });
      expect(await nextText(customer)).toBe("Thank you for your rating: 5 of 5!");
      expect(buttons(current(customer, one.thanks.message_id))).toEqual(["✍️ Add a comment", "↩️ Return items"]);
      await customer.tapButton("✍️ Add a comment", { messageId: one.thanks.message_id });
      expect(await nextText(customer)).toBe("Please write your comment in one message.");
      expect(buttons(current(customer, one.thanks.message_id))).toEqual(["↩️ Return items"]);
      await customer.sendText("Lovely tea");
      expect(await nextText(customer)).toBe("Thank you! We have passed your comment on to Demo Shop.");

      // The button under the thanks opens the form.
      await customer.tapButton("↩️ Return items", { messageId: one.thanks.message_id });
      const items = await customer.waitForMessage();
      expect(items.text).toContain(`Return from order ${one.order.externalId}`);
      expect(buttons(items)).toEqual(["Green tea (up to 2)", "Clay cup (up to 1)", "✖️ Cancel", "🙋 Talk to a person"]);
      await customer.tapButton("✖️ Cancel");
      expect(await nextText(customer)).toBe("All right, the return request is cancelled. You can start again at any time with /return.");

      // The person button under "cannot be returned" passes the gift card order on.
      await customer.tapButton("🙋 Talk to a person", { messageId: nothing.message_id });
      expect((await customer.waitForMessage((m) => m.text?.startsWith("I have passed") ?? false)).text).toBe(
        `I have passed your return for order ${created.body.externalId} to a person from Demo Shop.`,
      );
      const escalated = await h.webhooks.waitFor("order.escalated", { orderId: created.body.id });
      expect(escalated.body.data.reason).toBe("customer_request");
    },
  );

  it("tells a customer without a delivered order that a person can help, with a button that reaches one", async () => {
    const h = await start();
    const stranger = h.addCustomer();
    await stranger.sendText("/return");
    const none = await stranger.waitForMessage();
    expect(none.text).toBe(
      "I cannot find a delivered order of yours. If you need help with an order, tap the button below and a person from Demo Shop will " +
        "help.",
    );
    expect(buttons(none)).toEqual(["🙋 Talk to a person"]);
    await stranger.tapButton("🙋 Talk to a person");
    await stranger.waitForMessage((m) => m.text === "A person from Demo Shop will answer you here within 15 minutes.");
    expect(current(stranger, none.message_id).text).toBe("Thank you! A person from Demo Shop will answer you here.");
    // The first thing the customer writes goes to the person: no "did not understand".
    await stranger.sendText("My parcel never came");
    await stranger.sendText("/language");
    await stranger.waitForMessage((m) => (m.reply_markup?.inline_keyboard.length ?? 0) > 0);
    expect(botTexts(stranger).some((text) => text.startsWith("Sorry, I did not understand"))).toBe(false);
    expect(await h.database.db.handoff.count({ where: { chatId: BigInt(stranger.id), state: "waiting" } })).toBe(1);
  });

  it(
    "takes an exchange for one of the shop's options in Ukrainian, fetches the photo from Telegram when the shop downloads it, and " +
      "answers in Ukrainian",
    async () => {
      const h = await start({
        photos: { keep: false },
        exchangeOptions: [
          { code: "size_s", label: { en: "Size S", uk: "Розмір S" } },
          { code: "size_l", label: { en: "Size L", uk: "Розмір L" } },
        ],
      });
      const opened = await openOrderDialog(
        {
          api: (method, url, body) => h.api(method, url, body),
          addCustomer: () => h.addCustomer({ firstName: "Олена", languageCode: "uk" }),
        },
        {
          customer: { name: "Олена", phone: `+49 170 9${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`, language: "uk" },
          items: [{ sku: "DRESS-1", name: "Сукня", quantity: 1, unitPrice: "49.00" }],
        },
      );
      const { order, customer } = opened;
      await customer.tapButton("✅ Підтвердити");
      await expect.poll(async () => (await h.api("GET", `/orders/${order.id}`)).body.state).toBe("confirmed");
      await h.api("POST", `/orders/${order.id}/status`, { status: "delivered" });
      const thanks = await customer.waitForMessage((m) => m.text?.includes("Ваше замовлення доставлено.") ?? false);
      expect(buttons(thanks)).toContain("↩️ Повернути товари");

      await customer.tapButton("↩️ Повернути товари", { messageId: thanks.message_id });
      const items = await customer.waitForMessage();
      expect(items.text).toBe(
        `↩️ Повернення за замовленням ${order.externalId}\nЯкі товари ви хочете повернути? Натисніть на товар, щоб обрати його, потім ` +
          `«Далі».`,
      );
      expect(buttons(items)).toEqual(["Сукня (до 1)", "✖️ Скасувати", "🙋 Поговорити з людиною"]);
      await customer.tapButton("Сукня (до 1)");
      await customer.tapButton("➡️ Далі");
      expect(await nextText(customer)).toBe("Чому ви хочете їх повернути?");
      await customer.tapButton("Надійшов пошкодженим");
      await customer.waitForMessage();
      const photo = createPng({ width: 400, height: 300 }, [120, 60, 200]);
      await customer.sendPhoto(photo);
      expect(await nextText(customer)).toBe("Фото 1 отримано. Надішліть ще одне або натисніть «Готово».");
      await customer.tapButton("✅ Готово");
      await customer.waitForMessage();
      await customer.tapButton("Пропустити");
      await customer.waitForMessage();
      await customer.tapButton("🔄 Обміняти");
      const options = await customer.waitForMessage();
      expect(options.text).toBe("На що ви хочете обміняти товар?");
      expect(buttons(options)).toEqual(["Розмір S", "Розмір L", "✖️ Скасувати", "🙋 Поговорити з людиною"]);
      // Typing is not choosing from the shop's list.
      await customer.sendText("L");
      expect(await nextText(customer)).toBe("Оберіть, будь ласка, кнопкою вище.");
      await customer.tapButton("Розмір L");
      const review = await customer.waitForMessage();
      expect(review.text).toContain("Ви хочете: 🔄 Обміняти\nОбміняти на: Розмір L");
      await customer.tapButton("📨 Надіслати заявку");
      expect(await nextText(customer)).toBe(
        `📨 Дякуємо! Вашу заявку на повернення за замовленням ${order.externalId} надіслано до Demo Shop. Я напишу вам тут, щойно вони ` +
          `відповідять.`,
      );

      const webhook = await h.webhooks.waitFor("return.requested", { orderId: order.id });
      const request = webhook.body.data.returnRequest;
      expect(request).toMatchObject({
        language: "uk",
        reason: "damaged",
        resolution: { type: "exchange", exchangeFor: "size_l" },
        photos: [{ kept: false }],
      });

      // GET /returns/{id}: the request; its photo comes from Telegram, and nothing is kept.
      const one = await h.api("GET", `/returns/${request.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        id: request.id,
        orderId: order.id,
        orderExternalId: order.externalId,
        status: "requested",
        items: [{ sku: "DRESS-1", quantity: 1 }],
      });
      expect(one.body.photos[0].url).toBe(`${h.app.url}/api/v1/returns/${request.id}/photos/${request.photos[0].id}`);
      const download = await fetch(one.body.photos[0].url, { headers: { authorization: `Bearer ${apiToken}` } });
      expect(download.status).toBe(200);
      expect(download.headers.get("content-type")).toBe("image/png");
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(photo);
      expect((await h.database.db.returnPhoto.findFirstOrThrow({ where: { returnRequestId: request.id } })).storedPath).toBeNull();
      expect(readdirSync(photoDirectory)).toEqual([]);
      expect((await h.api("GET", "/returns/no-such-return")).status).toBe(404);
      expect((await h.api("GET", `/returns/${request.id}/photos/no-such-photo`)).status).toBe(404);

      // The shop's answers, in the customer's language.
      expect(
        (
          await h.api("POST", `/returns/${request.id}/status`, {
            status: "approved",
            instructions: { address: "Склад Demo Shop, вул. Хрещатик 1, Київ" },
          })
        ).status,
      ).toBe(200);
      expect(await nextText(customer)).toBe(
        `✅ Ваше повернення за замовленням ${order.externalId} схвалено.\nНадішліть, будь ласка, товари за адресою: Склад Demo Shop, вул. ` +
          `Хрещатик 1, Київ`,
      );
      expect(
        (await h.api("POST", `/returns/${request.id}/status`, { status: "exchanged", note: "Розмір L & пояс у подарунок" })).status,
      ).toBe(200);
      expect(await nextText(customer)).toBe(
        `🔄 Обмін за замовленням ${order.externalId} виконано: новий товар уже їде до вас.\nРозмір L & пояс у подарунок`,
      );
    },
  );

  it(
    "tells the customer about store credit and about a rejection, with a person to turn to; lists the requests made since a " + "moment",
    async () => {
      const h = await start();
      const { order, customer } = await deliveredOrder(h);
      const first = await quickReturn(h, customer, {
        orderId: order.id,
        item: "Clay cup (up to 1)",
        reason: "Wrong size",
        resolution: "🎁 Store credit",
      });
      clock.advance(60_000);
      const since = clock.now().toISOString();
      const second = await quickReturn(h, customer, {
        orderId: order.id,
        item: "Green tea (up to 2)",
        quantity: "2",
        reason: "Changed my mind",
        resolution: "💶 My money back",
      });

      const ids = async (query: string) =>
        ((await h.api("GET", `/returns${query}`)).body.returns as Array<{ id: string }>).map((r) => r.id);
      expect(await ids(`?since=${encodeURIComponent(since)}`)).toEqual([second.id]);
      expect(await ids(`?since=${encodeURIComponent(first.createdAt)}`)).toEqual([second.id, first.id]);
      expect(await ids(`?since=${encodeURIComponent(new Date(clock.now().getTime() + 1).toISOString())}`)).toEqual([]);
      expect((await h.api("GET", "/returns?since=yesterday")).status).toBe(400);

      expect(
        (await h.api("POST", `/returns/${first.id}/status`, { status: "approved", instructions: { note: "Bring it to our shop" } })).status,
      ).toBe(200);
      expect(await nextText(customer)).toBe(`✅ Your return for order ${order.externalId} has been approved.\nBring it to our shop`);
      expect((await h.api("POST", `/returns/${first.id}/status`, { status: "credited", amount: "12.90", code: "BACK-1290" })).status).toBe(
        200,
      );
      const credit = await customer.waitForMessage();
      expect(credit.text).toBe(`🎁 You have store credit of €12.90 for your return of order ${order.externalId}.\nYour code: BACK-1290`);
      expect(credit.entities?.some((e) => e.type === "code")).toBe(true);

      expect(
        (
          await h.api("POST", `/returns/${second.id}/status`, {
            status: "rejected",
            reason: "The tins were opened",
            note: "You can still send the unopened <3 tins.",
          })
        ).status,
      ).toBe(200);
      const rejection = await customer.waitForMessage();
      expect(rejection.text).toBe(
        [
          `😔 We are sorry: Demo Shop cannot accept the return for order ${order.externalId}. Reason: The tins were opened`,
          "If you disagree, tap the button below and a person will look at it again.",
          "You can still send the unopened <3 tins.",
        ].join("\n"),
      );
      expect(buttons(rejection)).toEqual(["🙋 Talk to a person"]);
      await customer.tapButton("🙋 Talk to a person", { messageId: rejection.message_id });
      expect((await customer.waitForMessage((m) => m.text?.startsWith("I have passed") ?? false)).text).toBe(
        `I have passed your return for order ${order.externalId} to a person from Demo Shop.`,
      );
      expect(buttons(current(customer, rejection.message_id))).toEqual([]);
      expect((await h.webhooks.waitFor("order.escalated", { orderId: order.id })).body.data.reason).toBe("customer_request");
    },
  );

  it(
    "holds the shop's news while a manager has the chat, shows it in the customer's topic, and sends it once the chat is handed " + "back",
    async () => {
      const managers = {} as Managers;
      const h = await start({}, { managers });
      const { group, maria } = managers;
      const { order, customer } = await deliveredOrder(h);
      const request = await quickReturn(h, customer, {
        orderId: order.id,
        item: "Clay cup (up to 1)",
        reason: "Wrong size",
        resolution: "💶 My money back",
      });

      // A second form: "Talk to a person" sends the chat to the managers, and the form ends.
      await customer.sendText("/return");
      const items = await customer.waitForMessage();
      expect(buttons(items)).toEqual(["Green tea (up to 2)", "✖️ Cancel", "🙋 Talk to a person"]);
      await customer.tapButton("Green tea (up to 2)");
      await customer.tapButton("1");
      await customer.tapButton("➡️ Continue");
      const reason = await customer.waitForMessage();
      expect(buttons(reason)).toContain("🙋 Talk to a person");
      await customer.tapButton("🙋 Talk to a person", { messageId: reason.message_id });
      expect((await customer.waitForMessage((m) => m.text?.startsWith("I have passed") ?? false)).text).toBe(
        `I have passed your return for order ${order.externalId} to a person from Demo Shop.`,
      );
      await customer.waitForMessage((m) => m.text === "A person from Demo Shop will answer you here within 15 minutes.");
      expect(buttons(current(customer, reason.message_id))).toEqual([]);
      const card = await maria.waitForMessage((m) => (m.text?.startsWith("🆘") ?? false) && m.text!.includes(order.externalId), {
        chat: group,
      });
      const threadId = card.message_thread_id!;
      await maria.waitForMessage(
        (m) => m.text === `↩️ The customer asked for a person while filling in a return request for order ${order.externalId}.`,
        { chat: group, threadId },
      );
      expect((await h.webhooks.waitFor("order.escalated", { orderId: order.id })).body.data.reason).toBe("customer_request");

      // The form asks nothing any more: its buttons say a person has the chat, texts go to the topic.
      const said = botTexts(customer).length;
      const stale = await customer.forgeCallbackQuery("og:rt:f:r:wrong_size", { messageId: reason.message_id });
      expect(stale).toMatchObject({ text: "A person from Demo Shop already has your chat and will answer you here.", showAlert: true });
      await customer.sendText("It is the wrong colour");
      await maria.waitForMessage((m) => m.text === "👤 Anna: It is the wrong colour", { chat: group, threadId });
      expect(botTexts(customer)).toHaveLength(said);

      // Maria takes the chat; the shop approves the first return meanwhile.
      await maria.tapButton("🙋 Take", { chat: group, messageId: card.message_id });
      await customer.waitForMessage((m) => m.text === "Maria from Demo Shop is with you now and will help you here.");
      expect(
        (
          await h.api("POST", `/returns/${request.id}/status`, {
            status: "approved",
            instructions: { address: "Demo Shop Returns, Lagerstr. 5, 10115 Berlin" },
          })
        ).status,
      ).toBe(200);
      const held = await maria.waitForMessage((m) => m.text?.startsWith("↩️ Return update") ?? false, { chat: group, threadId });
      expect(held.text).toBe(
        [
          `↩️ Return update for order ${order.externalId}: approved.`,
          "Not sent to the customer while a person has this chat; the bot sends it when the chat is handed back or closed. You can pass " +
            "it " +
            "on yourself:",
          `✅ Your return for order ${order.externalId} has been approved.`,
          "Please send the items to: Demo Shop Returns, Lagerstr. 5, 10115 Berlin",
        ].join("\n"),
      );
      const row = await h.database.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `return:${request.id}:status:1` } });
      expect(row.status).toBe("skipped");
      expect(botTexts(customer).some((text) => text.includes("has been approved"))).toBe(false);
      expect((await h.api("GET", `/orders/${order.id}`)).body.history.map((e: { type: string }) => e.type)).toContain(
        "return.message_held",
      );

      // Handed back: the bot says it is back, and then the shop's news goes out (once).
      await maria.tapButton("↩️ Hand back", { chat: group, messageId: card.message_id });
      const back = await customer.waitForMessage((m) => m.text?.startsWith("Maria has finished helping you") ?? false);
      const approved = await customer.waitForMessage((m) => m.text?.includes("has been approved") ?? false);
      expect(approved.text).toBe(
        `✅ Your return for order ${order.externalId} has been approved.\nPlease send the items to: Demo Shop Returns, Lagerstr. 5, 10115 ` +
          `Berlin`,
      );
      expect(approved.message_id).toBeGreaterThan(back.message_id);
      await customer.waitForMessage((m) => m.text?.startsWith("How well did Maria help you?") ?? false);
      expect(botTexts(customer).filter((text) => text.includes("has been approved"))).toHaveLength(1);
      // The form that gave way to the person stays closed.
      expect((await customer.forgeCallbackQuery("og:rt:f:r:wrong_size", { messageId: reason.message_id })).text).toBe(
        "This form is closed. To start a return, send /return.",
      );

      // A form under way when ordergram itself hands the chat to a person waits, and goes on after.
      await customer.sendText("/return");
      const again = await customer.waitForMessage((m) => m.text?.includes("Which items") ?? false);
      expect((await escalateOrder(h.app.services, { orderId: order.id, reason: "broken_promise" })).type).toBe("escalated");
      await customer.waitForMessage((m) => m.text?.startsWith("I have asked a colleague") ?? false);
      const paused = await customer.tapButton("Green tea (up to 2)", { messageId: again.message_id });
      expect(paused).toMatchObject({ text: "A person from Demo Shop already has your chat and will answer you here.", showAlert: true });
      expect(current(customer, again.message_id).text).toContain("Which items would you like to return?");
      const newCard = await maria.waitForMessage(
        (m) => (m.text?.startsWith("🆘") ?? false) && m.text!.includes("⏳ Waiting for a manager"),
        {
          chat: group,
          threadId,
        },
      );
      await maria.tapButton("🔒 Close", { chat: group, messageId: newCard.message_id });
      await expect
        .poll(
          async () => await h.database.db.handoff.count({ where: { chatId: BigInt(customer.id), state: { in: ["waiting", "taken"] } } }),
        )
        .toBe(0);
      await customer.tapButton("Green tea (up to 2)", { messageId: again.message_id });
      expect(current(customer, again.message_id).text).toBe("How many of Green tea would you like to return?");
    },
  );

  it("starts the form over with the settings in force when the shop changed them while it was open", async () => {
    const configFile = path.join(mkdtempSync(path.join(os.tmpdir(), "ordergram-returns-config-")), "ordergram.config.yaml");
    const h = await start({}, { configFile });
    const { order, customer } = await deliveredOrder(h);
    await customer.sendText("/return");
    await customer.waitForMessage();
    await customer.tapButton("Clay cup (up to 1)");
    await customer.tapButton("➡️ Continue");
    await customer.waitForMessage();
    await customer.tapButton("Wrong size");
    await customer.waitForMessage();
    await customer.tapButton("Skip");
    await customer.waitForMessage();
    await customer.tapButton("🎁 Store credit");
    await customer.waitForMessage((m) => m.text?.startsWith("Your return request") ?? false);

    // The owner stops offering store credit meanwhile.
    writeFileSync(configFile, returnsConfig({ resolutions: ["refund", "exchange"] }));
    expect(await h.app.reloadConfig()).toEqual({ ok: true });
    await customer.tapButton("📨 Send the request");
    expect(await nextText(customer)).toBe(
      "I am sorry: the shop's return settings changed while you were filling the form in. Let us go through it once more.",
    );
    const items = await customer.waitForMessage();
    expect(items.text).toContain(`Return from order ${order.externalId}`);
    expect(buttons(items)).toEqual(["Green tea (up to 2)", "Clay cup (up to 1)", "✖️ Cancel", "🙋 Talk to a person"]);
    await customer.tapButton("Clay cup (up to 1)");
    await customer.tapButton("➡️ Continue");
    await customer.waitForMessage();
    await customer.tapButton("Wrong size");
    await customer.waitForMessage();
    await customer.tapButton("Skip");
    const resolution = await customer.waitForMessage();
    expect(buttons(resolution)).toEqual(["💶 My money back", "🔄 An exchange", "✖️ Cancel", "🙋 Talk to a person"]);
    await customer.tapButton("💶 My money back");
    await customer.waitForMessage();
    await customer.tapButton("📨 Send the request");
    await customer.waitForMessage((m) => m.text?.startsWith("📨 Thank you!") ?? false);
    expect((await h.webhooks.waitFor("return.requested", { orderId: order.id })).body.data.returnRequest.resolution).toEqual({
      type: "refund",
      exchangeFor: null,
    });
    expect(await h.database.db.returnRequest.count({ where: { orderId: order.id } })).toBe(1);
  });
});

describe("a return from the largest order the API accepts", () => {
  it("offers its 100 items a page at a time, and every message fits Telegram", async () => {
    const h = await start();
    const name = (n: number) =>
      `Item ${String(n).padStart(3, "0")} ${"handmade ceramic tea bowl, glazed ".repeat(8)}`.slice(0, 200).trimEnd();
    const items = Array.from({ length: 100 }, (_, i) => ({ sku: `SKU-${i + 1}`, name: name(i + 1), quantity: 1, unitPrice: "9.99" }));
    const { customer } = await deliveredOrder(h, { items });
    await customer.sendText("/return");
    const list = await customer.waitForMessage((m) => m.text?.includes("Which items") ?? false);
    const itemButtons = () => buttons(current(customer, list.message_id)).filter((b) => b.startsWith("Item ") || b.startsWith("✔️ Item "));
    expect(itemButtons()).toHaveLength(10);
    expect(buttons(list)).toContain("▶");

    // All hundred, page by page.
    for (let page = 1; page < 10; page++) {
      await customer.tapButton("▶", { messageId: list.message_id });
      await expect.poll(() => itemButtons()[0]).toMatch(new RegExp(`^Item ${String(page * 10 + 1).padStart(3, "0")} `));
    }
    expect(buttons(current(customer, list.message_id))).not.toContain("▶");
    for (const button of itemButtons()) await customer.tapButton(button, { messageId: list.message_id });
    await customer.tapButton("◀", { messageId: list.message_id });
    await expect.poll(() => itemButtons()[0]).toMatch(/^Item 081 /);
    for (const button of itemButtons()) await customer.tapButton(button, { messageId: list.message_id });
    // Twenty chosen items do not fit one message: the first ones, then how many more.
    await expect.poll(() => current(customer, list.message_id).text).toMatch(/…and \d+ more items?$/);
    expect(current(customer, list.message_id).text!.length).toBeLessThanOrEqual(4096);
    await customer.tapButton("➡️ Continue", { messageId: list.message_id });
    await customer.waitForMessage((m) => m.text === "Why would you like to return them?");
  });
});
