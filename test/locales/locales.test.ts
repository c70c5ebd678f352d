import { describe, expect, it } from "vitest";
import { createTranslator, escapeHtml, locales, resolveLanguage } from "../../src/locales/i18n.js";
import { localeProblems, pluralCategoriesOf } from "../../src/locales/locale-completeness.js";
import { pluralForms, supportedLanguages, type Language } from "../../src/locales/supported-languages.js";

describe("locales", () => {
  it.each(supportedLanguages)(
    "%s has every key English has, in its own plural forms, with the same placeholders and valid HTML",
    (language) => {
      expect(localeProblems(locales.en, locales[language], language)).toEqual([]);
    },
  );

  it.each(supportedLanguages)("%s's plural forms are the ones Intl.PluralRules knows for it", (language) => {
    expect([...pluralForms[language]].sort()).toEqual(pluralCategoriesOf(language).sort());
  });

  describe("the completeness check fails", () => {
    const english = { order: { title: "<b>Order {{orderNumber}}</b>", left_one: "{{n}} day left", left_other: "{{n}} days left" } };
    const russian = (order: Record<string, string>) => ({
      order: {
        title: "<b>Заказ {{orderNumber}}</b>",
        left_one: "остался {{n}} день",
        left_few: "осталось {{n}} дня",
        left_many: "осталось {{n}} дней",
        left_other: "осталось {{n}} дня",
        ...order,
      },
    });

    it("passes a complete locale", () => {
      expect(localeProblems(english, russian({}), "ru")).toEqual([]);
    });

    it("when a key is missing", () => {
      const { order } = russian({});
      const { title: _title, ...withoutTitle } = order;
      expect(localeProblems(english, { order: withoutTitle }, "ru")).toEqual(["ru: missing order.title"]);
    });

    it("when a placeholder differs from English's", () => {
      expect(localeProblems(english, russian({ title: "<b>Заказ {{number}}</b>" }), "ru")).toEqual([
        "ru: order.title has placeholders [number], English has [orderNumber]",
      ]);
    });

    it("when a plural form of the language is missing, or one it does not have is there", () => {
      const { order } = russian({});
      const { left_few: _few, ...withoutFew } = order;
      expect(localeProblems(english, { order: withoutFew }, "ru")).toEqual(["ru: missing order.left_few"]);
      expect(localeProblems(english, { order: { ...english.order, left_few: "{{n}} napig" } }, "hu")).toEqual([
        "hu: unexpected order.left_few (not a key of English, or a plural form hu does not have)",
      ]);
    });

    it("when a text is HTML Telegram refuses", () => {
      expect(localeProblems(english, russian({ title: "<b>Заказ {{orderNumber}}" }), "ru")).toEqual([
        expect.stringMatching(/^ru: order.title is HTML Telegram refuses/),
      ]);
    });
  });

  it("greets a Russian customer in Russian, with their name made safe for Telegram HTML", async () => {
    const t = (await createTranslator({ name: "Цветы & Ко", defaultLanguage: "en" })).forLanguage("ru");
    expect(t("start.welcome", { customerName: "<Анна>", shopName: "Цветы & Ко", assistantName: "менеджер" })).toBe(
      "Здравствуйте, &lt;Анна&gt;! Это Цветы &amp; Ко, менеджер. Я прочитаю вам заказ, согласую доставку и буду держать вас в курсе, " +
        "пока он не приедет.",
    );
  });

  it("greets Ukrainian and Hungarian customers in their language, with the shop's default assistant name", async () => {
    const translator = await createTranslator({ name: "Demo Shop", defaultLanguage: "en" });
    expect(translator.forLanguage("uk")("order.greeting.afternoon", { customerName: "Олена" })).toBe(
      "Добрий день, Олена! Це Demo Shop, ваш помічник із замовлень.",
    );
    expect(translator.forLanguage("hu")("order.greeting.morning", { customerName: "Anna" })).toBe(
      "Jó reggelt kívánok, Anna! Demo Shop, itt az Ön rendelési asszisztense.",
    );
  });

  it("escapes only what Telegram HTML needs", () => {
    expect(escapeHtml(`a<b>&"c'/`)).toBe("a&lt;b&gt;&amp;&quot;c'/");
  });
});

describe("plural forms", () => {
  const counts = [1, 2, 5, 11, 21, 22, 25];
  const quietFor = async (language: Language) => {
    const t = (await createTranslator({ name: "Demo Shop", defaultLanguage: "en" })).forLanguage(language);
    return counts.map(
      (days) => t("notifications.quiet.text", { orderNumber: "A-1", days, count: days, status: "x" }).match(/\d+ \S+/)?.[0],
    );
  };

  it("counts days in Russian: 1 день, 2 дня, 5 дней, 11 дней, 21 день, 22 дня, 25 дней", async () => {
    expect(await quietFor("ru")).toEqual(["1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "25 дней"]);
  });

  it("counts days in Ukrainian: 1 день, 2 дні, 5 днів, 11 днів, 21 день, 22 дні, 25 днів", async () => {
    expect(await quietFor("uk")).toEqual(["1 день", "2 дні", "5 днів", "11 днів", "21 день", "22 дні", "25 днів"]);
  });

  it("counts what is left in stock in Russian and Ukrainian: штука, штуки, штук", async () => {
    const translator = await createTranslator({ name: "Demo Shop", defaultLanguage: "en" });
    const stock = (language: Language) =>
      counts.map(
        (available) =>
          translator
            .forLanguage(language)("order.shortage.partly", { name: "Чай", quantity: 30, available, count: available })
            .match(/\d+ \S+\.$/)?.[0],
      );
    expect(stock("ru")).toEqual(["1 штука.", "2 штуки.", "5 штук.", "11 штук.", "21 штука.", "22 штуки.", "25 штук."]);
    expect(stock("uk")).toEqual(["1 штука.", "2 штуки.", "5 штук.", "11 штук.", "21 штука.", "22 штуки.", "25 штук."]);
  });

  it("says 1 day / 2 days in English, and keeps the noun singular after a number in Hungarian", async () => {
    const translator = await createTranslator({ name: "Demo Shop", defaultLanguage: "en" });
    const post = (language: Language, max: number) =>
      translator.forLanguage(language)("order.delivery.postEstimate", { min: 1, max, count: max });
    expect([post("en", 1), post("en", 2)]).toEqual(["Delivery: post, 1-1 working day", "Delivery: post, 1-2 working days"]);
    expect([post("hu", 1), post("hu", 5)]).toEqual(["Szállítás: posta, 1-1 munkanap", "Szállítás: posta, 1-5 munkanap"]);
  });
});

describe("choosing the customer's language", () => {
  const shop = { languages: ["en", "ru"] as const, defaultLanguage: "en" as const };

  it("takes Telegram's language code, by its primary subtag", () => {
    expect(resolveLanguage(["ru-RU"], { ...shop, languages: [...shop.languages] })).toBe("ru");
    expect(resolveLanguage(["uk-UA"], { languages: ["en", "uk", "hu"], defaultLanguage: "en" })).toBe("uk");
  });

  it("falls back to the shop's default for a language the shop does not offer", () => {
    expect(resolveLanguage(["ru"], { languages: ["en"], defaultLanguage: "en" })).toBe("en");
    expect(resolveLanguage(["de", undefined, null], { languages: ["en", "ru"], defaultLanguage: "ru" })).toBe("ru");
  });

  it("prefers an earlier candidate (the customer's own choice) over Telegram's", () => {
    expect(resolveLanguage(["en", "ru"], { languages: ["en", "ru"], defaultLanguage: "ru" })).toBe("en");
  });
});
