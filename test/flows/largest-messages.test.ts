import { readFileSync } from "node:fs";
import type { InlineKeyboardMarkup } from "grammy/types";
import { describe, expect, it } from "vitest";
import { exampleConfigPath, parseConfigFile } from "../../src/config/load-config.js";
import type { HandoffRecord } from "../../src/db/handoff-repository.js";
import type { OrderRecord } from "../../src/db/order-repository.js";
import { orderLimits, type Order } from "../../src/domain/order.js";
import { renderOrderCard } from "../../src/flows/handoff/order-card.js";
import { renderNotification, type NotificationContext } from "../../src/flows/notifications/notification-messages.js";
import { createTranslator } from "../../src/locales/i18n.js";
import { supportedLanguages } from "../../src/locales/supported-languages.js";
import type { HandoffCardData } from "../../src/services/handoff/handoff-card-data.js";
import { deliveryStatuses, type NotificationIntent } from "../../src/services/notification-intents.js";
import { parseTelegramHtml, telegramHtmlToPlainText } from "../../src/shared/telegram-html.js";
import { telegramLimits, visibleLength } from "../../src/shared/telegram-limits.js";
import { anOrder } from "../support/order-builder.js";

// Every message composed from the largest values the API and Telegram accept, rendered (no
// database, no Telegram) in every language: each must be one Telegram takes. Issue 14, item 2.

/** `text` repeated to exactly `length` characters, with HTML's special characters in it. */
const longest = (length: number, text = "Tom & Jerry <Ltd> ") => text.repeat(Math.ceil(length / text.length)).slice(0, length);

const config = parseConfigFile(readFileSync(exampleConfigPath, "utf8"), "example");
const shop = { ...config.shop, name: longest(100, "Demo Shop & Sons ") };

function largestOrder(n: number): Order {
  return anOrder({
    id: `ord_${n}`,
    externalId: longest(64, `A-${n}-`),
    customer: { id: "cus_1", name: longest(100), phone: "+49 170 1234567", language: "en" },
    items: Array.from({ length: 100 }, (_, i) => ({
      position: i,
      sku: longest(64, `SKU-${i}-`),
      name: longest(200),
      quantity: orderLimits.maxQuantity,
      unitPriceMinor: orderLimits.maxAmountMinor,
      available: null,
      substitutes: [],
    })),
    delivery: {
      method: "courier",
      address: longest(orderLimits.maxAddressLength),
      date: "2026-12-02",
      window: "10:00-14:00",
      priceMinor: orderLimits.maxAmountMinor,
    },
    comment: longest(orderLimits.maxCommentLength),
  });
}

const record = (order: Order): OrderRecord => ({
  order,
  dialog: { step: { name: "read_back" }, version: 1, owner: "manager:1", resolutions: [], done: [], messageId: 1, settings: null },
  chatId: 1n,
  telegramUserId: 1n,
  startToken: null,
  payloadHash: "",
  createdAt: new Date(),
  updatedAt: new Date(),
  hold: { reason: longest(4090), by: longest(129, "Maria "), at: new Date() },
  reach: { unreachedNotices: 0, givenUpAt: null },
});

/** A telegram name at its longest: first and last name, 64 characters each. */
const managerName = longest(129, "Maria ");

function largestCard(state: HandoffRecord["state"]): HandoffCardData {
  const handoff: HandoffRecord = {
    id: "hnd_0123456789abcdef0123",
    chatId: 1n,
    orderId: "ord_1",
    reason: "keyword",
    detail: longest(4000, "I want a refund & <now> "),
    state,
    managerId: 1n,
    managerName,
    resumeStep: { name: "choose_delivery_window", date: "2026-12-02" },
    pings: 3,
    unansweredAt: new Date(),
    endedHow: null,
    cardMessageId: null,
    cardThreadId: null,
    createdAt: new Date(),
    takenAt: null,
    endedAt: null,
  };
  return {
    handoff,
    customer: { name: longest(100), username: longest(32, "anna_"), language: "en", unreachableSince: new Date("2026-12-01T09:00:00Z") },
    orders: [1, 2, 3].map((n) => record(largestOrder(n))),
    // A note is a whole Telegram message: 4096 characters, less the "// " that makes it one.
    notes: Array.from({ length: 10 }, (_, i) => ({ authorName: managerName, text: `note ${i} ${longest(4090)}`, createdAt: new Date() })),
    noteCount: 250,
    recentTexts: Array.from({ length: 3 }, () => ({ at: new Date().toISOString(), text: longest(200) })),
    actions: { open: true, resumeChoices: ["where_stopped", "read_back", "delivery", "address"], changeDelivery: true },
  };
}

/** What Telegram would refuse in a message: its text, its callback data, its number of buttons. */
function expectTelegramTakes(message: { text: string; reply_markup?: InlineKeyboardMarkup }, limit: number = telegramLimits.text) {
  expect(parseTelegramHtml(message.text, () => undefined).ok, message.text.slice(0, 200)).toBe(true);
  expect(visibleLength(message.text)).toBeLessThanOrEqual(limit);
  const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
  expect(buttons.length).toBeLessThanOrEqual(telegramLimits.inlineButtons);
  for (const button of buttons) {
    if ("callback_data" in button)
      expect(Buffer.byteLength(button.callback_data ?? "")).toBeLessThanOrEqual(telegramLimits.callbackDataBytes);
  }
}

describe("the largest messages the bot composes", () => {
  it.each(supportedLanguages)(
    "should fit the managers' card of a 100-item order with long notes into one message (%s)",
    async (language) => {
      const t = (await createTranslator({ name: shop.name, defaultLanguage: "en" })).forLanguage(language);
      for (const state of ["waiting", "taken", "ended"] as const) {
        const data = largestCard(state);
        const card = renderOrderCard(data, t, language);
        expectTelegramTakes(card);
        // The keyword's detail reads as the customer wrote it (escaped once).
        expect(telegramHtmlToPlainText(card.text)).toContain("I want a refund & <now> I want");
        // The newest notes first, as many as fit, and the older ones counted.
        const shown = data.notes.filter((_, i) => card.text.includes(`note ${i} `)).length;
        expect(shown).toBeGreaterThanOrEqual(2);
        expect(card.text.indexOf("note 0 ")).toBeLessThan(card.text.indexOf("note 1 "));
        expect(card.text).toMatch(new RegExp(`\\b${data.noteCount - shown} `));
      }
    },
  );

  it.each(supportedLanguages)("should fit every status and notification with the longest values the API accepts (%s)", async (language) => {
    const t = (await createTranslator({ name: shop.name, defaultLanguage: "en" })).forLanguage(language);
    const context: NotificationContext = {
      record: record(largestOrder(1)),
      tracking: {
        number: longest(64, "TRK-"),
        carrier: longest(64),
        url: `https://track.example.com/?q=${longest(470, "a&b=<c> ")}`.slice(0, 500),
        expectedDate: "2026-12-09",
        pickup: { point: longest(100), address: longest(300), hours: longest(100), storageUntil: "2026-12-20T18:00:00+01:00" },
        statusSeq: 12,
      },
      deliveryStatus: "in_transit",
      askForRating: true,
      offerReturn: true,
      pickupPoint: { name: longest(60), address: longest(200), hours: longest(100) },
      today: "2026-12-02",
    };
    const orderId = "ord_0123456789abcdef0123";
    const intents: Array<Exclude<NotificationIntent, { kind: "notify.nudge" }>> = [
      ...deliveryStatuses.map((status) => ({ kind: "notify.status" as const, orderId, status, seq: 12 })),
      { kind: "notify.delivery_reminder", orderId, date: "2026-12-03", window: "10:00-14:00" },
      { kind: "notify.pickup_storage", orderId, storageUntil: "2026-12-20T18:00:00+01:00" },
      { kind: "notify.quiet_parcel", orderId, days: 9999, seq: 12 },
      { kind: "notify.promise_moved", orderId, from: "2026-12-03", to: "2026-12-31" },
      { kind: "notify.promise_broken", orderId, promisedDate: "2026-12-03", newEstimate: "2026-12-31", estimate: true },
      { kind: "notify.auto_cancelled", orderId },
    ];
    for (const intent of intents) {
      const message = renderNotification(intent, context, { t, language, shop });
      expectTelegramTakes(message);
      // Within the limit by design: nothing had to be left out.
      expect(message.text).not.toMatch(/\n…$/);
    }
  });
});
