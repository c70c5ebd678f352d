import { describe, expect, it } from "vitest";
import { createTranslator, escapeHtml, locales, resolveLanguage } from "../../src/locales/i18n.js";

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ""): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tree).flatMap(([key, value]) =>
      typeof value === "string" ? [[prefix + key, value]] : Object.entries(flatten(value, `${prefix}${key}.`)),
    ),
  );
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe("locales", () => {
  const reference = flatten(locales.en);

  it.each(Object.keys(locales))("%s has every key English has, with the same placeholders", (language) => {
    const resource = flatten(locales[language as keyof typeof locales]);
    expect(Object.keys(resource).sort()).toEqual(Object.keys(reference).sort());
    for (const [key, text] of Object.entries(resource)) {
      expect({ key, placeholders: placeholders(text) }).toEqual({ key, placeholders: placeholders(reference[key]!) });
    }
  });

  it("greets a Russian customer in Russian, with their name made safe for Telegram HTML", async () => {
    const t = (await createTranslator({ name: "Цветы & Ко", defaultLanguage: "en" })).forLanguage("ru");
    expect(t("start.welcome", { customerName: "<Анна>", shopName: "Цветы & Ко", assistantName: "менеджер" })).toBe(
      "Здравствуйте, &lt;Анна&gt;! Это Цветы &amp; Ко, менеджер. Я прочитаю вам заказ, согласую доставку и буду держать вас в курсе, пока он не приедет.",
    );
  });

  it("escapes only what Telegram HTML needs", () => {
    expect(escapeHtml(`a<b>&"c'/`)).toBe("a&lt;b&gt;&amp;&quot;c'/");
  });
});

describe("choosing the customer's language", () => {
  const shop = { languages: ["en", "ru"] as const, defaultLanguage: "en" as const };

  it("takes Telegram's language code, by its primary subtag", () => {
    expect(resolveLanguage(["ru-RU"], { ...shop, languages: [...shop.languages] })).toBe("ru");
  });

  it("falls back to the shop's default for a language the shop does not offer", () => {
    expect(resolveLanguage(["ru"], { languages: ["en"], defaultLanguage: "en" })).toBe("en");
    expect(resolveLanguage(["de", undefined, null], { languages: ["en", "ru"], defaultLanguage: "ru" })).toBe("ru");
  });

  it("prefers an earlier candidate (the customer's own choice) over Telegram's", () => {
    expect(resolveLanguage(["en", "ru"], { languages: ["en", "ru"], defaultLanguage: "ru" })).toBe("en");
  });
});
