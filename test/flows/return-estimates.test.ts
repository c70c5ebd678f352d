import { describe, expect, it } from "vitest";
import type { ShopConfig } from "../../src/config/config-schema.js";
import { returnsConfigSchema } from "../../src/config/returns-config.js";
import { returnStatusMessage } from "../../src/flows/returns/return-messages.js";
import { createTranslator } from "../../src/locales/i18n.js";
import type { Language } from "../../src/locales/supported-languages.js";

// Rule 10 (docs/rules-of-the-trade.md): return progress carries the time the shop gives each step, and none it did not give.

const shop = { name: "Demo Shop" } as ShopConfig;
const context = (estimates: Record<string, number | null>) => ({
  orderId: "o1",
  orderNumber: "A-1",
  currency: "EUR",
  estimates: returnsConfigSchema.parse({ estimates }).estimates,
});
const entry = (status: "received" | "refunded" | "exchanged", details: Record<string, unknown> = {}) => ({
  status,
  at: "2026-12-01T10:00:00Z",
  details,
});

async function localeOf(language: Language) {
  const translator = await createTranslator({ name: "Demo Shop", defaultLanguage: "en" });
  return { t: translator.forLanguage(language), language, shop };
}

describe("return progress with estimates", () => {
  it("tells the refund's time when the shop gives one, in the customer's language and plural", async () => {
    const estimates = context({ refund: 5, processing: 1, exchange: 3 });
    expect(returnStatusMessage(entry("refunded", { amount: "9.00" }), estimates, await localeOf("en")).text).toBe(
      "💶 Your refund of €9.00 for order A-1 has been issued. The money usually reaches your account within 5 working days.",
    );
    expect(returnStatusMessage(entry("received"), estimates, await localeOf("en")).text).toBe(
      "📦 Demo Shop has received your return for order A-1. We will let you know as soon as it is processed. Returns are usually " +
        "processed within 1 working day.",
    );
    expect(returnStatusMessage(entry("refunded"), estimates, await localeOf("ru")).text).toBe(
      "💶 Деньги по заказу A-1 возвращены. Обычно деньги поступают на счёт в течение 5 рабочих дней.",
    );
    expect(returnStatusMessage(entry("exchanged"), estimates, await localeOf("uk")).text).toContain(
      "Зазвичай новий товар надходить протягом 3 робочих днів.",
    );
  });

  it("quotes no time the shop did not give", async () => {
    const none = context({});
    expect(returnStatusMessage(entry("refunded"), none, await localeOf("en")).text).toBe(
      "💶 Your refund for order A-1 has been issued. It can take a few days to reach your account.",
    );
    expect(returnStatusMessage(entry("received"), none, await localeOf("hu")).text).toBe(
      "📦 Demo Shop megkapta a visszaküldött termékeket (rendelés: A-1). Amint feldolgoztuk, értesítjük.",
    );
  });
});
