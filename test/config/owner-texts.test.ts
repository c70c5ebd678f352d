import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { exampleConfigPath, mergeTextsDir, parseConfigFile } from "../../src/config/load-config.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog, startTokenOf } from "../support/order-payload.js";
import { configProblemsOf } from "../support/config-problems.js";

const root = path.resolve(import.meta.dirname, "../..");
const problemsOf = configProblemsOf;
const withTexts = (texts: string) => `shop:\n  name: Demo\n  languages: [en, ru]\ntexts:\n${texts}`;

describe("the owner's wording", () => {
  it("refuses a text key that does not exist, naming the key and its line", () => {
    expect(problemsOf(() => parseConfigFile(withTexts('  en:\n    order.questoin: "Right?"\n'), "c.yaml"))).toEqual([
      'texts.en.order.questoin (line 6): there is no text "order.questoin" (did you mean order.question?)',
    ]);
  });

  it("refuses a placeholder the message does not provide", () => {
    expect(problemsOf(() => parseConfigFile(withTexts('  en:\n    order.total: "Pay {{amount}} now"\n'), "c.yaml"))).toEqual([
      "texts.en.order.total (line 6): uses {{amount}}, which this message does not provide (it provides {{total}}, {{shopName}}, " +
        "{{assistantName}}, {{managerName}}, {{customerName}}, {{orderNumber}})",
    ]);
  });

  it("refuses broken i18next syntax and HTML Telegram would refuse, all at once", () => {
    const problems = problemsOf(() =>
      parseConfigFile(withTexts('  ru:\n    order.question: "Всё {{верно?"\n    order.title: "<b>Заказ {{orderNumber}}"\n'), "c.yaml"),
    );
    expect(problems).toEqual([
      "texts.ru.order.question (line 6): broken placeholder syntax (unbalanced {{ }}); write placeholders as {{name}}",
      expect.stringMatching(/^texts\.ru\.order\.title \(line 7\): Telegram would refuse this HTML: .*can't parse entities/),
    ]);
  });

  it("reads a folder of texts per language, with the file and line of each problem", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "og-texts-"));
    mkdirSync(path.join(dir, "texts"));
    writeFileSync(path.join(dir, "texts", "en.yaml"), 'order.question: "Shall we send it?"\norder.nope: "x"\n');
    const configPath = path.join(dir, "ordergram.config.yaml");
    const file = parseConfigFile("shop:\n  name: Demo\ntextsDir: texts\n", configPath);
    expect(problemsOf(() => mergeTextsDir(file, configPath))).toEqual([
      expect.stringMatching(
        new RegExp(`^${path.join(dir, "texts", "en.yaml").replace(/[.]/g, "\\.")}:2 order\\.nope: there is no text "order\\.nope"`),
      ),
    ]);
    writeFileSync(path.join(dir, "texts", "en.yaml"), 'order.question: "Shall we send it?"\n');
    expect(mergeTextsDir(file, configPath).texts.en).toEqual({ "order.question": "Shall we send it?" });
  });

  it("npm run config:check lists every problem and fails; a good file passes", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "og-check-"));
    const bad = path.join(dir, "bad.yaml");
    writeFileSync(bad, withTexts('  en:\n    order.total: "{{amount}}"\n    order.nope: "x"\n') + "colour: red\n");
    const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/config-check.ts"), bad], {
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("order.total (line 6): uses {{amount}}");
    expect(result.stderr).toContain("order.nope (line 7): there is no text");
    expect(result.stderr).toContain("colour (line 8): unknown key");
    expect(result.stderr).toContain("3 problem(s).");
    const good = spawnSync(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/config-check.ts"), exampleConfigPath], {
      encoding: "utf8",
    });
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('is valid: shop "Demo Shop"');
  });

  it(
    "npm run config:check lists the file's problems and its textsDir's together, and warns about labels missing in a language the shop " +
      "offers",
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), "og-check-"));
      mkdirSync(path.join(dir, "texts"));
      writeFileSync(path.join(dir, "texts", "ru.yaml"), 'order.questoin: "Всё верно?"\n');
      const configPath = path.join(dir, "ordergram.config.yaml");
      const config = (extra: string) =>
        [
          "shop:",
          "  name: Demo",
          "  languages: [en, ru, uk]",
          "  assistantName: { en: manager Anna, ru: менеджер Анна }",
          "confirmation:",
          "  cancelReasons:",
          "    - changed_mind",
          "    - code: too_expensive",
          '      label: { en: "Too expensive", ru: "Слишком дорого" }',
          "returns:",
          "  reasons:",
          "    - damaged",
          "    - code: arrived_late",
          '      label: { ru: "Пришёл поздно" }',
          "  photos: { requiredFor: [damaged] }",
          "textsDir: texts",
          extra,
        ].join("\n");
      const check = () =>
        spawnSync(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/config-check.ts"), configPath], { encoding: "utf8" });

      writeFileSync(configPath, config("colour: red\n"));
      const bad = check();
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain("colour (line 17): unknown key");
      expect(bad.stderr).toContain(`${path.join(dir, "texts", "ru.yaml")}:1 order.questoin: there is no text "order.questoin"`);
      expect(bad.stderr).toContain("2 problem(s).");

      writeFileSync(path.join(dir, "texts", "ru.yaml"), 'order.question: "Всё верно?"\n');
      writeFileSync(configPath, config(""));
      const warned = check();
      expect(warned.status).toBe(0);
      expect(warned.stderr).toContain(
        'confirmation.cancelReasons.1.label (line 9): "too_expensive" has no label in uk: those customers see "Too expensive"',
      );
      expect(warned.stderr).toContain(
        'returns.reasons.1.label (line 14): "arrived_late" has no label in en, uk: those customers see "Пришёл поздно"',
      );
      expect(warned.stderr).toContain(
        "shop.assistantName (line 4): no name in uk: the bot introduces itself there with the default text defaults.assistantName",
      );
      expect(warned.stdout).toContain("is valid, 3 warning(s)");
    },
  );

  it("npm run config:preview shows the script in the owner's words", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "og-preview-"));
    const configPath = path.join(dir, "ordergram.config.yaml");
    writeFileSync(configPath, withTexts('  ru:\n    order.question: "Всё ли мы правильно записали, {{customerName}}?"\n'));
    const result = spawnSync(
      path.join(root, "node_modules/.bin/tsx"),
      [path.join(root, "scripts/config-preview.ts"), "--locale", "ru", "--flow", "confirmation", "--config", configPath],
      { encoding: "utf8" },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Заказ A-1001");
    expect(result.stdout).toContain("Всё ли мы правильно записали, Anna?");
    expect(result.stdout).toContain("[ ✅ Подтвердить ]");
  });
});

describe("the owner's wording in a real dialog", () => {
  let harness: Harness;
  beforeAll(async () => {
    const config =
      readFileSync(exampleConfigPath, "utf8") +
      '\ntexts:\n  en:\n    order.question: "Did we get it all right, <b>{{customerName}}</b>?"\n' +
      '    order.buttons.confirm: "👍 Yes, send it"\n';
    harness = await startHarness({ configYaml: config });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("shows the owner's question and button instead of the defaults", async () => {
    const { customer, readBack } = await openOrderDialog(harness, { customer: { name: "Zoë <3", phone: "+4917055501234" } });
    expect(readBack.text).toContain("Did we get it all right, Zoë <3?");
    expect(readBack.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: "bold" })]));
    await customer.tapButton("👍 Yes, send it");
    expect(customer.messages.find((m) => m.message_id === readBack.message_id)!.text).toContain("Confirmed.");
  });
});

describe("names with HTML's special characters, and the order's placeholders in every text of the dialog", () => {
  let harness: Harness;
  beforeAll(async () => {
    const doc = parseDocument(readFileSync(exampleConfigPath, "utf8"));
    doc.setIn(["shop", "name"], "Tea & Co <Berlin>");
    doc.set("texts", {
      en: {
        "order.forms.askComment": "{{customerName}}, what should we tell the courier about order {{orderNumber}} ({{total}})?",
        "order.humanRequested": "Thank you, {{customerName}}! Someone from {{shopName}} will answer here.",
      },
    });
    harness = await startHarness({ configYaml: doc.toString() });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("shows the shop's and the items' names as written, in texts and on buttons", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness, {
      items: [
        {
          sku: "SPICE-1",
          name: "Pepper",
          quantity: 1,
          unitPrice: "3.00",
          available: 0,
          substitutes: [{ sku: "SPICE-2", name: "Salt & Pepper", unitPrice: "3.20" }],
        },
      ],
    });
    expect(readBack.text).toContain("This is Tea & Co <Berlin>,");
    expect(readBack.text).toContain("Salt & Pepper");
    expect(readBack.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain("Take Salt & Pepper");

    // A second person opening the same link hears the shop's name unmangled.
    const stranger = harness.addCustomer({ firstName: "Stranger" });
    await stranger.sendText(`/start ${startTokenOf(order.startLink)}`);
    expect((await stranger.waitForMessage()).text).toBe(
      "This order is already linked to another Telegram account. If it is yours, please contact Tea & Co <Berlin>.",
    );
    await customer.tapButton("Take Salt & Pepper");
  });

  it("fills the order's placeholders in the forms and replies of the dialog, not only in the read-back", async () => {
    const { order, customer } = await openOrderDialog(harness, { customer: { name: "Zoë", phone: "+4917055507777" } });
    await customer.tapButton("✏️ Change something");
    await customer.tapButton("Add a comment");
    expect((await customer.waitForMessage()).text).toBe(`Zoë, what should we tell the courier about order ${order.externalId} (€26.80)?`);
    await customer.tapButton("« Never mind");
    await customer.waitForMessage((m) => m.text?.includes("What would you like to change?") ?? false);
    await customer.tapButton("🙋 Talk to a person");
    expect((await customer.waitForMessage((m) => m.text?.startsWith("Thank you, Zoë!") ?? false)).text).toBe(
      "Thank you, Zoë! Someone from Tea & Co <Berlin> will answer here.",
    );
  });
});
