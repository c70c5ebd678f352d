import Database from "better-sqlite3";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startMain, stopStartedMains } from "../support/start-main.js";

const root = path.resolve(import.meta.dirname, "../..");
afterEach(stopStartedMains);

describe("npm start without a Telegram token", () => {
  it("starts the sandbox, prints where it listens, answers a customer, and stops cleanly on SIGTERM", async () => {
    const main = startMain({});
    const banner = await main.output("Press Ctrl-C to stop.");
    expect(banner).toContain("ordergram is running in SANDBOX mode");
    const appUrl = /Shop API\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(banner)![1]!;
    const customerId = /Telegram user (\d+)\)/.exec(banner)![1]!;
    expect(banner).toContain(`curl -s -X POST ${appUrl}/api/v1/orders -H 'Authorization: Bearer sandbox-api-token'`);

    const health = await fetch(`${appUrl}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", database: "ok", telegram: "polling" });

    const reply = await fetch(`${appUrl}/sandbox/customers/${customerId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "/start" }),
    });
    const { botMessages } = (await reply.json()) as { botMessages: Array<{ text: string }> };
    expect(botMessages[0]!.text).toContain("This is Demo Shop, manager Anna.");

    // The bot writes first only in contact hours (09:00-21:00 in Berlin): move the sandbox clock
    // to a moment inside them, as the owner would with the desk's buttons at night.
    const contactTime = new Date();
    contactTime.setUTCHours(9, 0, 0, 0);
    if (contactTime.getTime() <= Date.now()) contactTime.setUTCDate(contactTime.getUTCDate() + 1);
    const moved = await fetch(`${appUrl}/sandbox/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ to: contactTime.toISOString() }),
    });
    expect(moved.status).toBe(200);

    // The order curl line from the banner works as printed.
    const order = /-d '(\{"externalId".*\})'/.exec(banner)![1]!;
    const created = await fetch(`${appUrl}/api/v1/orders`, {
      method: "POST",
      headers: { authorization: "Bearer sandbox-api-token", "content-type": "application/json" },
      body: order,
    });
    expect(created.status).toBe(201);
    const { externalId } = JSON.parse(order) as { externalId: string };
    await expect
      .poll(
        async () => {
          const transcript = (await (await fetch(`${appUrl}/sandbox/customers/${customerId}/messages`)).json()) as {
            messages: Array<{ text: string }>;
          };
          return transcript.messages.some((message) => message.text.includes(externalId));
        },
        { timeout: 10_000 },
      )
      .toBe(true);

    main.proc.kill("SIGTERM");
    expect(await main.exited).toBe(0);
  });

  it("reads a .env file and the shop's own ordergram.config.yaml from the working directory, and reads it again on SIGHUP", async () => {
    const main = startMain(
      { LOG_LEVEL: "info" },
      {
        ".env": "ORDERGRAM_API_TOKEN=token-from-the-dotenv-file\n",
        "ordergram.config.yaml": "shop:\n  name: Flowers & Co\n  assistantName: florist Maria\n",
      },
      { defaultDatabase: true },
    );
    const banner = await main.output("Press Ctrl-C to stop.");
    expect(banner).toContain("Authorization: Bearer token-from-the-dotenv-file");
    expect(banner).toMatch(/Config\s+.*ordergram\.config\.yaml/);
    const appUrl = /Shop API\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(banner)![1]!;
    const customerId = /Telegram user (\d+)\)/.exec(banner)![1]!;
    const reply = await fetch(`${appUrl}/sandbox/customers/${customerId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "/start" }),
    });
    const { botMessages } = (await reply.json()) as { botMessages: Array<{ text: string }> };
    expect(botMessages[0]!.text).toContain("This is Flowers & Co, florist Maria.");

    // The owner renames the shop and tells the running process.
    writeFileSync(path.join(main.dir, "ordergram.config.yaml"), "shop:\n  name: Roses Ltd\n  assistantName: florist Maria\n");
    main.proc.kill("SIGHUP");
    await main.output("SIGHUP: reloading the config");
    await expect
      .poll(
        async () => {
          const again = await fetch(`${appUrl}/sandbox/customers/${customerId}/messages`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ text: "/start" }),
          });
          return ((await again.json()) as { botMessages: Array<{ text: string }> }).botMessages[0]?.text ?? "";
        },
        { timeout: 10_000 },
      )
      .toContain("This is Roses Ltd, florist Maria.");
    main.proc.kill("SIGINT");
    expect(await main.exited).toBe(0);
    // Without DATABASE_URL: the embedded database under ./data, in WAL mode, created and migrated.
    const file = path.join(main.dir, "data", "ordergram.db");
    expect(existsSync(file)).toBe(true);
    const sqlite = new Database(file, { readonly: true });
    try {
      expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(sqlite.prepare("SELECT count(*) AS n FROM _prisma_migrations").get()).toMatchObject({ n: expect.any(Number) });
    } finally {
      sqlite.close();
    }
  });

  it("refuses to start with an invalid config file, naming the bad key", async () => {
    const main = startMain({ ORDERGRAM_CONFIG: path.join(root, "package.json") });
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toMatch(/Invalid configuration in .*package\.json:\n {2}- shop: /);
  });
});
