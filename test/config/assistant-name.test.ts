import { describe, expect, it } from "vitest";
import { parseConfigFile } from "../../src/config/load-config.js";
import { createTranslator } from "../../src/locales/i18n.js";
import { checkTextOverride } from "../../src/locales/text-overrides.js";
import { configProblemsOf } from "../support/config-problems.js";

const problemsOf = configProblemsOf;

describe("the assistant's name (shop.assistantName)", () => {
  it("is one name for every language, or one per language", () => {
    expect(parseConfigFile("shop:\n  name: Demo\n  assistantName: Anna\n", "c.yaml").shop.assistantName).toBe("Anna");
    expect(
      parseConfigFile("shop:\n  name: Demo\n  languages: [en, uk]\n  assistantName: { en: manager Anna, uk: менеджерка Анна }\n", "c.yaml")
        .shop.assistantName,
    ).toEqual({ en: "manager Anna", uk: "менеджерка Анна" });
  });

  it("refuses a language ordergram does not ship, an empty name and anything else, with the line", () => {
    expect(problemsOf(() => parseConfigFile("shop:\n  name: Demo\n  assistantName: { en: Anna, de: Anna }\n", "c.yaml"))).toEqual([
      "shop.assistantName.de (line 3): unknown key",
    ]);
    expect(problemsOf(() => parseConfigFile("shop:\n  name: Demo\n  assistantName: { en: '' }\n", "c.yaml"))).toEqual([
      expect.stringMatching(/^shop\.assistantName\.en \(line 3\): Too small/),
    ]);
    expect(problemsOf(() => parseConfigFile("shop:\n  name: Demo\n  assistantName: [Anna]\n", "c.yaml"))).toEqual([
      'shop.assistantName (line 3): a name ("manager Anna") or one per language ({ en: "manager Anna", uk: "менеджерка Анна" })',
    ]);
  });

  it("is said in the customer's language, and a language without one says its default", async () => {
    const translator = await createTranslator({
      name: "Demo Shop",
      defaultLanguage: "en",
      assistantName: { en: "manager Anna", uk: "менеджерка Анна" },
    });
    expect(translator.forLanguage("uk")("order.greeting.afternoon", { customerName: "Олена" })).toBe(
      "Добрий день, Олена! Це Demo Shop, менеджерка Анна.",
    );
    expect(translator.forLanguage("en")("order.greeting.afternoon", { customerName: "Anna" })).toBe(
      "Good afternoon, Anna! This is Demo Shop, manager Anna.",
    );
    expect(translator.forLanguage("ru")("start.welcomeAnonymous")).toContain("Это Demo Shop, ваш помощник по заказам.");
  });

  it("is read in the customer's language also when a flow hands over the shop's whole setting", async () => {
    const assistantName = { en: "manager Anna", hu: "Anna, az Ön ügyintézője" };
    const translator = await createTranslator({ name: "Demo Shop", defaultLanguage: "en", assistantName });
    expect(translator.forLanguage("hu")("order.greeting.morning", { customerName: "Anna", assistantName })).toBe(
      "Jó reggelt kívánok, Anna! Demo Shop, itt Anna, az Ön ügyintézője.",
    );
    // A name the caller gives is the one said.
    expect(translator.forLanguage("hu")("order.greeting.morning", { customerName: "Anna", assistantName: "Kata" })).toContain("itt Kata.");
  });

  it("follows a reload of the shop's settings", async () => {
    const translator = await createTranslator({ name: "Demo Shop", defaultLanguage: "en", assistantName: "Anna" });
    await translator.setTexts({}, { name: "Demo Shop", defaultLanguage: "en", assistantName: { uk: "менеджерка Оксана" } });
    expect(translator.forLanguage("uk")("start.welcomeAnonymous")).toContain("Це Demo Shop, менеджерка Оксана.");
    expect(translator.forLanguage("en")("start.welcomeAnonymous")).toContain("This is Demo Shop, your order assistant.");
  });
});

describe("{{managerName}}, another name for the assistant's name", () => {
  it("is accepted wherever {{assistantName}} is", () => {
    expect(
      checkTextOverride("order.greeting.morning", "Good morning, {{customerName}}! {{shopName}}, {{managerName}} speaking.", "en"),
    ).toEqual([]);
    expect(checkTextOverride("fallback.notUnderstood", "{{managerName}} did not get that.", "en")).toEqual([]);
    expect(checkTextOverride("order.greeting.morning", "Hi {{manager}}", "en")).toEqual([
      expect.stringContaining("{{assistantName}}, {{managerName}}"),
    ]);
  });

  it("says the assistant's name in the customer's language, in the owner's greeting", async () => {
    const translator = await createTranslator(
      { name: "Demo Shop", defaultLanguage: "en", assistantName: { en: "manager Anna", uk: "менеджерка Анна" } },
      { uk: { "order.greeting.morning": "Доброго ранку, {{customerName}}! З вами {{managerName}}, {{shopName}}." } },
    );
    expect(translator.forLanguage("uk")("order.greeting.morning", { customerName: "Олена" })).toBe(
      "Доброго ранку, Олена! З вами менеджерка Анна, Demo Shop.",
    );
  });

  it("stays the person's name in the texts about a manager who has the chat", async () => {
    const translator = await createTranslator({ name: "Demo Shop", defaultLanguage: "en", assistantName: "manager Anna" });
    expect(translator.forLanguage("en")("handoff.customer.taken", { managerName: "Maria" })).toBe(
      "Maria from Demo Shop is with you now and will help you here.",
    );
  });
});
