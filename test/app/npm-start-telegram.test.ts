import { afterEach, describe, expect, it } from "vitest";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { startTelegramStandin, type TelegramStandin } from "../../src/telegram-standin/index.js";
import { apiToken, botToken, webhookSecret } from "../support/app-harness.js";
import { sample } from "../support/prometheus-text.js";
import { startMain, stopStartedMains } from "../support/start-main.js";

let standin: TelegramStandin | undefined;
afterEach(async () => {
  stopStartedMains();
  await standin?.close();
  standin = undefined;
});

describe("npm start with a Telegram token", () => {
  it("names the config file and the database in its start line, and serves /metrics to the token", async () => {
    standin = await startTelegramStandin();
    standin.addBot({ token: botToken, username: "banner_shop_bot", firstName: "Banner Shop" });
    const main = startMain({
      LOG_LEVEL: "info",
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: standin.url,
      ORDERGRAM_API_TOKEN: apiToken,
      ORDERGRAM_WEBHOOK_SECRET: webhookSecret,
    });
    const output = await main.output("ordergram is running");
    const banner = output
      .split("\n")
      .filter((line) => line.includes("ordergram is running"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)[0]!;
    // No ordergram.config.yaml in the working directory: the shipped example is in force, and says so.
    expect(banner).toMatchObject({
      bot: "banner_shop_bot",
      transport: "polling",
      config: exampleConfigPath,
      database: `file:${main.dir}/og.db`,
    });

    const url = String(banner.url);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const scrape = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${apiToken}` } });
    expect(scrape.headers.get("content-type")).toContain("text/plain");
    expect(sample(await scrape.text(), "ordergram_outbox_depth", { channel: "telegram" })).toBe(0);

    main.proc.kill("SIGTERM");
    expect(await main.exited).toBe(0);
  });
});
