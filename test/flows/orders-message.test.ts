import { describe, expect, it } from "vitest";
import { ordersMessage } from "../../src/flows/orders/orders-flow.js";
import { createTranslator } from "../../src/locales/i18n.js";
import type { CustomerOrderItem } from "../../src/services/customer-orders.js";

const item = (orderNumber: string, overrides: Partial<CustomerOrderItem> = {}): CustomerOrderItem => ({
  orderNumber,
  state: "confirmed",
  deliveryStatus: "in_transit",
  expectedDate: "2026-12-03",
  tracking: { number: "JJD000123", carrier: "DHL" },
  placedAt: new Date("2026-11-24T09:00:00Z"),
  ...overrides,
});

async function localeOf(language: "en" | "uk" | "hu") {
  const translator = await createTranslator({ name: "Demo Shop", defaultLanguage: "en" });
  return { t: translator.forLanguage(language), language };
}

describe("the /orders message", () => {
  it("counts the orders in the customer's language", async () => {
    const five = ["A-1", "A-2", "A-3", "A-4", "A-5"].map((n) => item(n));
    expect(ordersMessage(five, await localeOf("uk"))).toMatch(
      /^📦 <b>5 нещодавніх замовлень<\/b>\n\n<b>Замовлення A-1<\/b>\nСтатус: у дорозі\n/,
    );
    expect(ordersMessage(five.slice(0, 1), await localeOf("en"))).toMatch(/^📦 <b>1 recent order<\/b>/);
    expect(ordersMessage([item("A-1", { state: "cancelled", tracking: null, expectedDate: null })], await localeOf("hu"))).toBe(
      "📦 <b>Legutóbbi rendelései: 1 db</b>\n\n<b>Rendelés A-1</b>\nÁllapot: lemondva",
    );
  });

  it("stays within Telegram's 4096 characters, leaving the last orders off", async () => {
    const long = Array.from({ length: 10 }, (_, i) =>
      item(`${i}-${"X".repeat(600)}`, { tracking: { number: "T".repeat(100), carrier: "DHL" } }),
    );
    const text = ordersMessage(long, await localeOf("en"));
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/^📦 <b>5 recent orders<\/b>/);
    expect(text).toContain(`<b>Order 4-X`);
    expect(text).not.toContain(`<b>Order 5-X`);
  });
});
