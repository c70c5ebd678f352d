import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { ManualClock } from "../../src/shared/clock.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog } from "../support/order-payload.js";

// Monday 23 November 2026, 10:00 in Berlin: before the 11:00 same-day cut-off.
const clock = new ManualClock("2026-11-23T09:00:00Z");
// The example config, with delivery and substitutes set for this test.
const exampleWith = (overrides: Record<string, unknown>) => {
  const doc = parseDocument(readFileSync(exampleConfigPath, "utf8"));
  for (const [key, value] of Object.entries(overrides)) doc.set(key, value);
  return doc.toString();
};
const config = exampleWith({
  delivery: {
    currency: "EUR",
    courier: {
      price: "4.90",
      freeFrom: "50.00",
      days: 5,
      sameDayCutoff: "11:00",
      daysOff: ["sun"],
      holidays: ["2026-11-26"],
      windows: [
        { window: "10:00-14:00", capacity: 1 },
        { window: "14:00-18:00", capacity: 5 },
      ],
    },
    pickup: {
      points: [
        {
          id: "main",
          name: "Demo Shop, Main Street",
          address: "Hauptstr. 10, 10115 Berlin",
          hours: "Mon-Fri 10:00-20:00, Sat 10:00-16:00",
        },
      ],
    },
  },
  substitutes: { allowMoreExpensive: true, maxIncrease: { percent: 20 }, offerPartial: true },
});

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ clock, configYaml: config });
});
afterAll(async () => {
  await harness.close();
});

const teaOutOfStock = {
  items: [
    {
      sku: "TEA-1",
      name: "Green tea",
      quantity: 2,
      unitPrice: "4.50",
      available: 0,
      substitutes: [
        { sku: "JAS-2", name: "Jasmine tea", unitPrice: "5.00" },
        { sku: "MAT-9", name: "Matcha", unitPrice: "9.00" },
      ],
    },
    { sku: "CUP-7", name: "Clay cup", quantity: 1, unitPrice: "12.90" },
  ],
};
const buttonsOf = (message: { reply_markup?: { inline_keyboard: Array<Array<{ text: string }>> } }) =>
  message.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
const shown = (customer: { messages: Array<{ message_id: number }> }, id: number) =>
  customer.messages.find((m) => m.message_id === id) as any;

describe("an item out of stock, then the delivery agreed in the chat", () => {
  it("takes a substitute, a courier window and a typed address, and the shop gets all of it", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness, { ...teaOutOfStock, delivery: undefined });
    expect(readBack.text).toContain("Green tea is out of stock at the moment, sorry.");
    expect(readBack.text).toContain("• Jasmine tea: €5.00 each (+€0.50 per item, +€1.00 for 2)");
    expect(readBack.text).not.toContain("Matcha"); // 100 % dearer: over the shop's 20 % limit
    expect(buttonsOf(readBack)).toEqual([
      "Take Jasmine tea",
      "Remove it from the order",
      "❌ Cancel the order",
      "🙋 Talk to a person",
      ...["✓ English", "Русский", "Українська", "Magyar"], // the first message offers the shop's languages
    ]);

    await customer.tapButton("Take Jasmine tea");
    const methods = shown(customer, readBack.message_id);
    expect(methods.text).toContain("1. Jasmine tea: 2 × €5.00 = €10.00");
    expect(methods.text).toContain("How would you like to receive your order?");
    expect(buttonsOf(methods)).toEqual(["🚚 Courier · €4.90", "🏪 Pickup point · free", "📮 Post · €3.50 · 3-5 days", "« Back"]);

    await customer.tapButton("🚚 Courier · €4.90");
    // Same day before the cut-off; Sunday off; the 26th a holiday.
    expect(buttonsOf(shown(customer, readBack.message_id))).toEqual([
      "Mon, Nov 23",
      "Tue, Nov 24",
      "Wed, Nov 25",
      "Fri, Nov 27",
      "Sat, Nov 28",
      "« Back",
    ]);
    await customer.tapButton("Tue, Nov 24");
    expect(shown(customer, readBack.message_id).text).toContain("At what time on Tuesday, November 24?");
    await customer.tapButton("14:00-18:00");
    expect(shown(customer, readBack.message_id).text).toContain("Where should we deliver?");

    await customer.sendText("Ring 5, 50667 Köln");
    const final = await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
    for (const line of [
      "1. Jasmine tea: 2 × €5.00 = €10.00",
      "2. Clay cup: 1 × €12.90 = €12.90",
      "Items: €22.90",
      "Delivery price: €4.90",
      "Total: €27.80",
      "Delivery: courier",
      "Date: Tuesday, November 24, 14:00-18:00",
      "Address: Ring 5, 50667 Köln",
    ]) {
      expect(final.text).toContain(line);
    }
    await customer.tapButton("✅ Confirm");
    const webhook = await harness.webhooks.waitFor("order.confirmed", { orderId: order.id });
    expect(webhook.body.data.order).toMatchObject({
      items: [
        { sku: "JAS-2", name: "Jasmine tea", quantity: 2, unitPrice: "5.00", lineTotal: "10.00" },
        { sku: "CUP-7", quantity: 1 },
      ],
      itemsTotal: "22.90",
      total: "27.80",
      delivery: { method: "courier", date: "2026-11-24", window: "14:00-18:00", address: "Ring 5, 50667 Köln", price: "4.90" },
    });
    const promises = await harness.database.db.orderPromise.findMany({ where: { orderId: order.id } });
    expect(promises).toEqual([expect.objectContaining({ kind: "delivery", dueDate: "2026-11-24", window: "14:00-18:00", status: "open" })]);
    const history = (await harness.api("GET", `/orders/${order.id}`)).body.history.map((h: { type: string }) => h.type);
    expect(history).toEqual(
      expect.arrayContaining(["customer.substitute_chosen", "customer.delivery_changed", "customer.slot_chosen", "customer.confirmed"]),
    );
  });

  it("takes the part that is in stock", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness, {
      items: [{ sku: "TEA-1", name: "Green tea", quantity: 3, unitPrice: "4.50", available: 1 }, teaOutOfStock.items[1]],
    });
    expect(readBack.text).toContain("Green tea: you ordered 3, but only 1 is in stock.");
    await customer.tapButton("Take the 1 in stock");
    expect(shown(customer, readBack.message_id).text).toContain("1. Green tea: 1 × €4.50 = €4.50");
    expect((await harness.api("GET", `/orders/${order.id}`)).body.items[0]).toMatchObject({ quantity: 1 });
  });

  it("removes a missing item, and lets the customer choose again before confirming", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness, teaOutOfStock);
    await customer.tapButton("Remove it from the order");
    const after = shown(customer, readBack.message_id);
    expect(after.text).not.toContain("Green tea");
    expect(after.text).toContain("Is everything correct?");
    await customer.tapButton("✏️ Change something");
    await customer.tapButton("Choose again for a missing item");
    await customer.tapButton("Green tea");
    expect(shown(customer, readBack.message_id).text).toContain("Green tea is out of stock at the moment, sorry.");
    await customer.tapButton("Take Jasmine tea");
    expect((await harness.api("GET", `/orders/${order.id}`)).body.items.map((i: { sku: string }) => i.sku)).toEqual(["JAS-2", "CUP-7"]);
  });

  it("does not offer a substitute the shop has since reported out of stock", async () => {
    expect((await harness.api("PUT", "/stock", { items: [{ sku: "DARJ-1", available: 0 }] })).status).toBe(200);
    const { customer, readBack } = await openOrderDialog(harness, {
      items: [
        {
          sku: "EG-1",
          name: "Earl Grey",
          quantity: 1,
          unitPrice: "6.00",
          available: 0,
          substitutes: [
            { sku: "DARJ-1", name: "Darjeeling", unitPrice: "6.00" },
            { sku: "ASSAM-1", name: "Assam", unitPrice: "6.00" },
          ],
        },
      ],
    });
    expect(readBack.text).not.toContain("Darjeeling");
    expect(buttonsOf(readBack)).toContain("Take Assam");
    expect(buttonsOf(readBack)).not.toContain("Take Darjeeling");
    await customer.tapButton("Take Assam");
    expect(shown(customer, readBack.message_id).text).toContain("1. Assam: 1 × €6.00 = €6.00");
  });

  it("checks stock again at Confirm and asks again when something ran out meanwhile", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness, {
      items: [{ sku: "VASE-3", name: "Vase", quantity: 1, unitPrice: "20.00" }, teaOutOfStock.items[1]],
    });
    expect(readBack.text).toContain("Is everything correct?");
    const stock = await harness.api("PUT", "/stock", { items: [{ sku: "VASE-3", available: 0 }] });
    expect(stock.body.openOrdersAffected).toContain(order.id);
    await customer.tapButton("✅ Confirm");
    const asked = shown(customer, readBack.message_id);
    expect(asked.text).toContain("Sorry, something in your order has just run out.");
    expect(asked.text).toContain("Vase is out of stock at the moment, sorry.");
    expect((await harness.api("GET", `/orders/${order.id}`)).body.state).toBe("awaiting_customer");
  });

  it("gives the last place of a window to one of two customers tapping at once, and offers the other the rest", async () => {
    const first = await openOrderDialog(harness, { delivery: undefined });
    const second = await openOrderDialog(harness, { delivery: undefined });
    for (const { customer } of [first, second]) {
      await customer.tapButton("🚚 Courier · €4.90");
      await customer.tapButton("Wed, Nov 25");
    }
    const answers = await Promise.all([first, second].map(({ customer }) => customer.tapButton("10:00-14:00")));
    const loser = answers.findIndex((a) => a.text === "That time was just taken. Please choose another one.");
    expect(loser).not.toBe(-1);
    const winner = 1 - loser;
    const [winnerDialog, loserDialog] = [[first, second][winner]!, [first, second][loser]!];
    expect(shown(winnerDialog.customer, winnerDialog.readBack.message_id).text).toContain("Where should we deliver?");
    expect(buttonsOf(shown(loserDialog.customer, loserDialog.readBack.message_id))).toEqual(["14:00-18:00", "« Another day"]);
    expect(
      await harness.database.db.deliverySlot.findUnique({ where: { date_window: { date: "2026-11-25", window: "10:00-14:00" } } }),
    ).toMatchObject({ booked: 1 });
    await loserDialog.customer.tapButton("14:00-18:00");
    expect(shown(loserDialog.customer, loserDialog.readBack.message_id).text).toContain("Where should we deliver?");
  });

  it("after the cut-off offers no same-day delivery", async () => {
    clock.set("2026-11-23T11:30:00Z"); // 12:30 in Berlin
    try {
      const { customer, readBack } = await openOrderDialog(harness, { delivery: undefined });
      await customer.tapButton("🚚 Courier · €4.90");
      expect(buttonsOf(shown(customer, readBack.message_id))).toEqual([
        "Tue, Nov 24",
        "Wed, Nov 25",
        "Fri, Nov 27",
        "Sat, Nov 28",
        "Mon, Nov 30",
        "« Back",
      ]);
    } finally {
      clock.set("2026-11-23T09:00:00Z");
    }
  });

  it("does not confirm a delivery time that passed while the read-back waited, and asks for another", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness, { delivery: undefined });
    await customer.tapButton("🚚 Courier · €4.90");
    await customer.tapButton("Mon, Nov 23");
    // 10:00 in Berlin: the 10:00-14:00 window has begun and is not offered any more.
    expect(buttonsOf(shown(customer, readBack.message_id))).toEqual(["14:00-18:00", "« Another day"]);
    await customer.tapButton("14:00-18:00");
    await customer.sendText("Ring 5, 50667 Köln");
    await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
    const places = async () =>
      (await harness.database.db.deliverySlot.findUnique({ where: { date_window: { date: "2026-11-23", window: "14:00-18:00" } } }))
        ?.booked;
    const held = await places();

    clock.set("2026-11-23T13:30:00Z"); // 14:30 in Berlin: the courier would already be on the way
    try {
      await customer.tapButton("✅ Confirm");
      const now = customer.messages.at(-1)!;
      expect(now.text).toContain(
        "Sorry: the delivery time you chose (Monday, November 23, 14:00-18:00) has passed. Please choose another one.",
      );
      expect(now.text).toContain("Which day suits you for the courier?");
      expect(buttonsOf(now)[0]).toBe("Tue, Nov 24");
      expect(await places()).toBe(held! - 1);
      const api = (await harness.api("GET", `/orders/${order.id}`)).body;
      expect(api.state).toBe("awaiting_customer");
      expect(api.delivery).toMatchObject({ method: "courier", date: null, window: null });
    } finally {
      clock.set("2026-11-23T09:00:00Z");
    }
  });

  it("keeps the address the shop sent when the customer picks courier, reads it back, and the shop's API shows it", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness, { delivery: { address: "Ring 5, 50667 Köln" } });
    expect(readBack.text).toContain("How would you like to receive your order?");
    await customer.tapButton("🚚 Courier · €4.90");
    await customer.tapButton("Wed, Nov 25");
    await customer.tapButton("14:00-18:00");
    const final = shown(customer, readBack.message_id);
    expect(final.text).not.toContain("Where should we deliver?");
    expect(final.text).toContain("Address: Ring 5, 50667 Köln");
    expect(final.text).toContain("Is everything correct?");
    expect(buttonsOf(final)).toContain("✏️ Change something");
    expect((await harness.api("GET", `/orders/${order.id}`)).body.delivery).toMatchObject({
      method: "courier",
      address: "Ring 5, 50667 Köln",
    });
  });

  it("picks a pickup point and needs no address", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness, { delivery: undefined });
    await customer.tapButton("🏪 Pickup point · free");
    expect(shown(customer, readBack.message_id).text).toContain(
      "• Demo Shop, Main Street, Hauptstr. 10, 10115 Berlin (Mon-Fri 10:00-20:00, Sat 10:00-16:00)",
    );
    await customer.tapButton("Demo Shop, Main Street");
    const readBackNow = shown(customer, readBack.message_id);
    expect(readBackNow.text).toContain("Pickup: Demo Shop, Main Street, Hauptstr. 10, 10115 Berlin (Mon-Fri 10:00-20:00, Sat 10:00-16:00)");
    expect(readBackNow.text).toContain("Delivery price: free");
    expect(readBackNow.text).toContain("Is everything correct?");
    expect((await harness.api("GET", `/orders/${order.id}`)).body.delivery).toMatchObject({
      method: "pickup",
      pointId: "main",
      price: "0.00",
    });
  });

  it("reads back a delivery the shop sent, and does not offer a fixed one for change", async () => {
    const { customer, readBack } = await openOrderDialog(harness, {
      delivery: {
        method: "courier",
        address: "Hauptstr. 1, 10115 Berlin",
        date: "2026-11-27",
        window: "14:00-18:00",
        price: "0",
        fixed: true,
      },
    });
    expect(readBack.text).toContain("Date: Friday, November 27, 14:00-18:00");
    expect(readBack.text).toContain("Delivery price: free");
    await customer.tapButton("✏️ Change something");
    const menu = buttonsOf(shown(customer, readBack.message_id));
    expect(menu).not.toContain("Change the delivery");
    expect(menu).not.toContain("Change the address");
  });

  it("accepts a shared location as the address", async () => {
    const { customer, readBack } = await openOrderDialog(harness, { delivery: { method: "post" } });
    expect(readBack.text).toContain("Where should we deliver?");
    await customer.sendLocation(52.520008, 13.404954);
    const final = await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
    expect(final.text).toContain("Address: 📍 52.520008, 13.404954");
    expect(final.text).toContain("Delivery: post, 3-5 working days");
  });
});

describe("the owner's substitute rules", () => {
  let strict: Harness;
  beforeAll(async () => {
    strict = await startHarness({
      clock: new ManualClock("2026-11-23T09:00:00Z"),
      configYaml: exampleWith({ substitutes: { allowMoreExpensive: false, maxIncrease: { percent: 20 }, offerPartial: false } }),
    });
  });
  afterAll(async () => {
    await strict.close();
  });

  it("offers no dearer substitute and not the part in stock when the owner turned them off", async () => {
    const { order, customer, readBack } = await openOrderDialog(strict, {
      items: [
        {
          sku: "TEA-1",
          name: "Green tea",
          quantity: 3,
          unitPrice: "4.50",
          available: 1,
          substitutes: [
            { sku: "JAS-2", name: "Jasmine tea", unitPrice: "5.00" },
            { sku: "SEN-3", name: "Sencha", unitPrice: "4.00" },
          ],
        },
        teaOutOfStock.items[1],
      ],
    });
    expect(readBack.text).toContain("Green tea: you ordered 3, but only 1 is in stock.");
    expect(readBack.text).not.toContain("Jasmine tea"); // dearer, and the owner allows none
    const buttons = buttonsOf(readBack);
    expect(buttons).toContain("Take Sencha");
    expect(buttons).not.toContain("Take Jasmine tea");
    expect(buttons).not.toContain("Take the 1 in stock");
    await customer.tapButton("Take Sencha");
    expect(
      (await strict.api("GET", `/orders/${order.id}`)).body.items.map((i: { sku: string; quantity: number }) => [i.sku, i.quantity]),
    ).toEqual([
      ["SEN-3", 3],
      ["CUP-7", 1],
    ]);
  });
});

describe("a courier priced by zone", () => {
  let zoned: Harness;
  beforeAll(async () => {
    zoned = await startHarness({
      clock,
      configYaml: exampleWith({
        delivery: {
          currency: "EUR",
          courier: {
            price: "4.90",
            freeFrom: null,
            zones: [
              { code: "centre", name: "City centre", price: "3.00" },
              { code: "outer", name: "Outskirts", price: "6.00", freeFrom: "20.00" },
            ],
            windows: [{ window: "14:00-18:00", capacity: 5 }],
          },
        },
      }),
    });
  });
  afterAll(async () => {
    await zoned.close();
  });

  it("asks for the zone, prices the delivery by it (free from the zone's own threshold), and the shop gets the zone", async () => {
    const { order, customer, readBack } = await openOrderDialog(zoned, { delivery: undefined });
    // Until the customer says where, the courier costs "from" its cheapest zone.
    expect(buttonsOf(readBack)).toContain("🚚 Courier · from €0.00");
    await customer.tapButton("🚚 Courier · from €0.00");
    const zones = shown(customer, readBack.message_id);
    expect(zones.text).toContain("Which area should we deliver to?");
    // The items cost €21.90: the outskirts' €6.00 is waived from €20.00.
    expect(buttonsOf(zones)).toEqual(["City centre · €3.00", "Outskirts · free", "« Back"]);
    await customer.tapButton("City centre · €3.00");
    expect(shown(customer, readBack.message_id).text).toContain("Which day suits you for the courier?");
    await customer.tapButton("Tue, Nov 24");
    await customer.tapButton("14:00-18:00");
    await customer.sendText("Ring 5, 50667 Köln");
    const final = await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
    expect(final.text).toContain("Delivery price: €3.00");
    expect(final.text).toContain("Total: €24.90");
    await customer.tapButton("✅ Confirm");
    const webhook = await zoned.webhooks.waitFor("order.confirmed", { orderId: order.id });
    expect(webhook.body.data.order.delivery).toMatchObject({
      method: "courier",
      zone: "centre",
      price: "3.00",
      date: "2026-11-24",
      window: "14:00-18:00",
    });
  });
});
