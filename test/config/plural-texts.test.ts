import { describe, expect, it } from "vitest";
import { ConfigError, parseConfigFile } from "../../src/config/load-config.js";
import { createTranslator } from "../../src/locales/i18n.js";

const problemsOf = (yaml: string): string[] => {
  try {
    parseConfigFile(yaml, "c.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
};
const withTexts = (texts: string) => `shop:\n  name: Demo\n  languages: [en, ru, uk, hu]\ntexts:\n${texts}`;

describe("the owner's wording of a text that counts something", () => {
  it("takes one plural form of the language on its own, and the customer sees it for the numbers of that form", async () => {
    const yaml = withTexts(
      '  ru:\n    order.shortage.partly_few: "<b>{{name}}</b>: осталось всего {{count}} шт., а вы просили {{quantity}}."\n',
    );
    expect(problemsOf(yaml)).toEqual([]);
    const file = parseConfigFile(yaml, "c.yaml");
    const t = (await createTranslator(file.shop, file.texts)).forLanguage("ru");
    const partly = (available: number) => t("order.shortage.partly", { name: "Чай", quantity: 30, available, count: available });
    expect(partly(3)).toBe("<b>Чай</b>: осталось всего 3 шт., а вы просили 30.");
    expect(partly(5)).toBe("<b>Чай</b>: вы заказали 30, но в наличии только 5 штук.");
  });

  it("refuses a plural form the language does not have, naming the forms it has", () => {
    expect(problemsOf(withTexts('  hu:\n    order.shortage.partly_few: "Csak {{available}} darab"\n'))).toEqual([
      'texts.hu.order.shortage.partly_few (line 6): hu has no plural form "few"; its forms are order.shortage.partly_one, ' +
        "order.shortage.partly_other",
    ]);
  });

  it("refuses the text without a form, and says which forms to write", () => {
    expect(problemsOf(withTexts('  uk:\n    order.shortage.partly: "Лише {{available}}"\n'))).toEqual([
      "texts.uk.order.shortage.partly (line 6): this text depends on a number: write one text per form of uk: order.shortage.partly_one, " +
        "order.shortage.partly_few, order.shortage.partly_many, order.shortage.partly_other",
    ]);
  });

  it("checks a plural form's placeholders against the message like any other text", () => {
    expect(problemsOf(withTexts('  en:\n    notifications.quiet.text_one: "Quiet for {{weeks}} week"\n'))).toEqual([
      "texts.en.notifications.quiet.text_one (line 6): uses {{weeks}}, which this message does not provide (it provides {{orderNumber}}, " +
        "{{days}}, {{status}}, {{shopName}}, {{assistantName}}, {{managerName}}, {{count}})",
    ]);
  });
});
