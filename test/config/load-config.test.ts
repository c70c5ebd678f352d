import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import { configOf, exampleConfigPath, loadConfig, parseConfigFile, parseEnv } from "../../src/config/load-config.js";
import { enabledMethods } from "../../src/domain/delivery-options.js";
import { dialogSettingsFrom } from "../../src/config/dialog-settings-snapshot.js";
import { dialogRules } from "../../src/services/dialog-settings.js";
import { configProblemsOf } from "../support/config-problems.js";

const problemsOf = configProblemsOf;

describe("the configuration file", () => {
  it("starts from the shipped example when the shop has written none", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "og-config-"));
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.configPath).toBe(exampleConfigPath);
    expect(config.mode).toBe("sandbox");
    expect(config.file.shop).toMatchObject({ name: "Demo Shop", timeZone: "Europe/Berlin", languages: ["en", "ru", "uk", "hu"] });
    expect(config.file.telegram.rateLimits).toEqual({ perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30 });
  });

  it("reads the file ORDERGRAM_CONFIG names, relative to the working directory", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "og-config-"));
    writeFileSync(path.join(dir, "shop.yaml"), "shop:\n  name: Flowers & Co\n");
    const config = loadConfig({ env: { ORDERGRAM_CONFIG: "shop.yaml" }, cwd: dir });
    expect(config.file.shop).toEqual({ name: "Flowers & Co", timeZone: "UTC", defaultLanguage: "en", languages: ["en"], country: null });
  });

  it("reads the managers' group id as written and hands it on as a bigint, none when it is not set", () => {
    expect(parseConfigFile("shop:\n  name: Demo\nmanagers:\n  groupChatId: -1001234567890\n", "test.yaml").managers.groupChatId).toBe(
      -1001234567890n,
    );
    expect(parseConfigFile("shop:\n  name: Demo\n", "test.yaml").managers.groupChatId).toBeNull();
    expect(problemsOf(() => parseConfigFile("shop:\n  name: Demo\nmanagers:\n  groupChatId: 1234\n", "test.yaml"))).toEqual([
      "managers.groupChatId (line 4): a group's chat id, negative (e.g. -1001234567890)",
    ]);
  });

  it("takes the shop's country as an ISO code and refuses a name or a code that is no country", () => {
    expect(parseConfigFile("shop:\n  name: Demo\n  country: RU\n", "test.yaml").shop.country).toBe("RU");
    for (const country of ["Russia", "ru", "XX"]) {
      expect(problemsOf(() => parseConfigFile(`shop:\n  name: Demo\n  country: ${country}\n`, "test.yaml"))).toEqual([
        "shop.country (line 3): an ISO 3166-1 alpha-2 country code such as RU or DE",
      ]);
    }
  });

  it("names an unknown key with its path and line instead of ignoring it", () => {
    const problems = problemsOf(() =>
      parseConfigFile("shop:\n  name: Demo\n  colour: red\ntelegram:\n  pubilcUrl: https://x.example\n", "test.yaml"),
    );
    expect(problems).toEqual(["shop.colour (line 3): unknown key", "telegram.pubilcUrl (line 5): unknown key"]);
  });

  it("lists every bad value at once, each with what was expected", () => {
    const problems = problemsOf(() =>
      parseConfigFile(
        [
          "shop:",
          "  name: ''",
          "  timeZone: Mars/Olympus",
          "  defaultLanguage: de",
          "telegram:",
          "  publicUrl: not a url",
          "  rateLimits:",
          "    globalPerSecond: -5",
        ].join("\n"),
        "test.yaml",
      ),
    );
    expect(problems).toHaveLength(5);
    expect(problems[0]).toBe("shop.name (line 2): Too small: expected string to have >=1 characters");
    expect(problems[1]).toBe("shop.timeZone (line 3): an IANA time zone such as Europe/Berlin");
    expect(problems[2]).toBe("shop.defaultLanguage (line 4): one of the languages ordergram ships: en, ru, uk, hu");
    expect(problems[3]).toBe("telegram.publicUrl (line 6): an http(s) URL such as https://shop.example.com");
    expect(problems[4]).toMatch(/^telegram\.rateLimits\.globalPerSecond \(line 8\): .*>0/);
  });

  it("refuses a default language the shop does not offer", () => {
    const problems = problemsOf(() => parseConfigFile("shop:\n  name: Demo\n  defaultLanguage: ru\n  languages: [en]\n", "test.yaml"));
    expect(problems).toEqual(["shop.defaultLanguage (line 3): must be one of shop.languages (en)"]);
  });

  it("reports a required section that is missing, and YAML syntax errors with their line", () => {
    expect(problemsOf(() => parseConfigFile("telegram: {}\n", "test.yaml"))).toEqual([expect.stringMatching(/^shop: .*expected object/i)]);
    expect(problemsOf(() => parseConfigFile("shop:\n  name: [unclosed\n", "test.yaml"))[0]).toMatch(/^line \d+: /);
  });

  it("refuses an amount with more decimals than the currency has, naming the key and line", () => {
    const problems = problemsOf(() =>
      parseConfigFile(
        [
          "shop:",
          "  name: Demo",
          "delivery:",
          "  currency: EUR",
          "  courier:",
          '    price: "4.999"',
          "    zones:",
          '      - { code: center, name: Centre, price: "3.90", freeFrom: "80.005" }',
          "substitutes:",
          '  maxIncrease: { amount: "0.001" }',
        ].join("\n"),
        "test.yaml",
      ),
    );
    expect(problems).toEqual([
      'delivery.courier.price (line 6): "4.999": EUR has 2 decimal places at most (delivery.currency is EUR)',
      'delivery.courier.zones.0.freeFrom (line 8): "80.005": EUR has 2 decimal places at most (delivery.currency is EUR)',
      'substitutes.maxIncrease.amount (line 10): "0.001": EUR has 2 decimal places at most (delivery.currency is EUR)',
    ]);
  });

  it("goes by the currency's own decimals, also for the amounts left at their defaults, and lists them with other problems", () => {
    const problems = problemsOf(() =>
      parseConfigFile(
        "shop:\n  name: Demo\n  colour: red\ndelivery:\n  currency: JPY\n  courier: { price: '500', freeFrom: '5000' }\n",
        "test.yaml",
      ),
    );
    expect(problems).toEqual([
      "shop.colour (line 3): unknown key",
      'delivery.post.price: "3.50": JPY has 0 decimal places at most (delivery.currency is JPY)',
    ]);
    expect(
      parseConfigFile("shop:\n  name: Demo\ndelivery:\n  currency: KWD\n  post: { price: '1.250' }\n", "test.yaml").delivery.post.price,
    ).toBe("1.250");
    expect(problemsOf(() => parseConfigFile("shop:\n  name: Demo\ndelivery:\n  currency: EUE\n", "test.yaml"))).toEqual([
      "delivery.currency (line 4): an ISO 4217 currency code such as EUR",
    ]);
  });

  it("offers no pickup point the shop has not named", () => {
    const file = parseConfigFile("shop:\n  name: Flowers & Co\n", "c.yaml");
    expect(file.delivery.pickup.points).toEqual([]);
    expect(enabledMethods(dialogRules(dialogSettingsFrom(file)).delivery)).toEqual(["courier", "post"]);
  });

  it("fails with the missing path when ORDERGRAM_CONFIG points nowhere", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "og-config-"));
    expect(problemsOf(() => loadConfig({ env: { ORDERGRAM_CONFIG: "nope.yaml" }, cwd: dir }))).toEqual([
      `ORDERGRAM_CONFIG: no such file: ${path.join(dir, "nope.yaml")}`,
    ]);
  });
});

describe("the environment", () => {
  it("runs the sandbox on the embedded database when nothing is set", () => {
    expect(parseEnv({})).toMatchObject({ DATABASE_URL: "file:./data/ordergram.db", PORT: 3000, HOST: "127.0.0.1" });
  });

  it("will not open the shop API without a token when a real bot token is set", () => {
    expect(problemsOf(() => parseEnv({ TELEGRAM_BOT_TOKEN: "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" }))).toEqual([
      "ORDERGRAM_API_TOKEN: required when TELEGRAM_BOT_TOKEN is set (the shop API must not be open)",
    ]);
  });

  it("will not start a real bot that has a webhook URL but no secret to sign the webhooks with", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "og-config-"));
    writeFileSync(path.join(dir, "ordergram.config.yaml"), "shop:\n  name: Demo\nwebhooks:\n  url: https://shop.example.com/hooks\n");
    const telegram = { TELEGRAM_BOT_TOKEN: "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", ORDERGRAM_API_TOKEN: "a-long-shop-api-token" };
    expect(problemsOf(() => loadConfig({ env: telegram, cwd: dir }))).toEqual([
      `ORDERGRAM_WEBHOOK_SECRET: required because webhooks.url is set in ${path.join(dir, "ordergram.config.yaml")}: webhooks to your ` +
        `system are signed with it, and without it none would be sent (at least 16 characters)`,
    ]);
    const example = mkdtempSync(path.join(tmpdir(), "og-config-"));
    expect(
      problemsOf(() => loadConfig({ env: { ...telegram, ORDERGRAM_WEBHOOK_URL: "https://shop.example.com/hooks" }, cwd: example })),
    ).toEqual([expect.stringMatching(/^ORDERGRAM_WEBHOOK_SECRET: required because ORDERGRAM_WEBHOOK_URL is set: /)]);
    expect(loadConfig({ env: { ...telegram, ORDERGRAM_WEBHOOK_SECRET: "a-long-webhook-secret" }, cwd: dir }).mode).toBe("telegram");
    // Without a URL webhooks wait for one; the sandbox signs with a secret of its own.
    expect(loadConfig({ env: telegram, cwd: example }).mode).toBe("telegram");
    expect(loadConfig({ env: {}, cwd: dir }).mode).toBe("sandbox");
  });

  it("is in telegram mode with the bot token and the shop API's token, and in sandbox mode without a bot token", () => {
    const file = parseConfigFile("shop:\n  name: Demo\n", "test.yaml");
    const telegram = configOf({
      env: parseEnv({ TELEGRAM_BOT_TOKEN: "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", ORDERGRAM_API_TOKEN: "a-long-shop-api-token" }),
      file,
      configPath: "test.yaml",
    });
    expect(telegram.mode).toBe("telegram");
    if (telegram.mode === "telegram") {
      expectTypeOf(telegram.env.TELEGRAM_BOT_TOKEN).toEqualTypeOf<string>();
      expect(telegram.env).toMatchObject({
        TELEGRAM_BOT_TOKEN: "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        ORDERGRAM_API_TOKEN: "a-long-shop-api-token",
      });
    }
    const sandbox = configOf({ env: parseEnv({}), file, configPath: "test.yaml" });
    expect(sandbox.mode).toBe("sandbox");
    if (sandbox.mode === "sandbox") expectTypeOf(sandbox.env.TELEGRAM_BOT_TOKEN).toEqualTypeOf<undefined>();
    // An environment that did not come through parseEnv is checked all the same.
    expect(
      problemsOf(() =>
        configOf({
          env: { ...parseEnv({}), TELEGRAM_BOT_TOKEN: "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" },
          file,
          configPath: "test.yaml",
        }),
      ),
    ).toEqual(["ORDERGRAM_API_TOKEN: required when TELEGRAM_BOT_TOKEN is set (the shop API must not be open)"]);
  });

  it("names each malformed variable", () => {
    const problems = problemsOf(() =>
      parseEnv({ TELEGRAM_BOT_TOKEN: "nonsense", DATABASE_URL: "mysql://x", PORT: "http", ORDERGRAM_API_TOKEN: "short" }),
    );
    expect(problems.map((p) => p.split(":")[0])).toEqual(["TELEGRAM_BOT_TOKEN", "ORDERGRAM_API_TOKEN", "DATABASE_URL", "PORT"]);
    expect(problems[0]).toContain("a bot token from @BotFather");
  });
});
