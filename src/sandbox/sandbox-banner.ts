import type { Config } from "../config/load-config.js";
import { deliveryDateFrom } from "./example-orders.js";
import type { Sandbox } from "./start-sandbox.js";

/** What `npm start` prints in sandbox mode: where everything is, and how to try an order. */
export function printSandboxBanner(input: { appUrl: string; apiToken: string; sandbox: Sandbox; config: Config }): void {
  const { appUrl, apiToken, sandbox, config } = input;
  const customer = sandbox.demoCustomer;
  const order = {
    externalId: `DEMO-${Date.now().toString(36).toUpperCase()}`,
    customer: { name: "Anna", phone: "+49 170 1234567", telegramUserId: customer.id, language: "en" },
    currency: "EUR",
    items: [
      { sku: "TEA-1", name: "Green tea", quantity: 2, unitPrice: "4.50" },
      { sku: "CUP-7", name: "Clay cup", quantity: 1, unitPrice: "12.90" },
    ],
    delivery: {
      method: "courier",
      address: "Hauptstr. 1, 10115 Berlin",
      date: deliveryDateFrom(sandbox.clock.now(), config.file, 3),
      window: "10:00-14:00",
    },
  };
  const lines = [
    "",
    "ordergram is running in SANDBOX mode: no TELEGRAM_BOT_TOKEN is set, so a local Telegram",
    "stand-in plays Telegram. Nothing leaves this machine.",
    "",
    `  Sandbox page    ${appUrl}/sandbox/   <- open this in your browser`,
    `  Shop API        ${appUrl}/api/v1   (Authorization: Bearer ${apiToken})`,
    `  OpenAPI         ${appUrl}/api/v1/openapi.json`,
    `  Health          ${appUrl}/healthz`,
    `  Telegram stand-in ${sandbox.standin.url}  (bot @${sandbox.telegram.botInfo.username})`,
    `  Shop webhooks   ` +
      `${config.env.ORDERGRAM_WEBHOOK_URL === sandbox.webhooks.url ? "shown on the sandbox page" : config.env.ORDERGRAM_WEBHOOK_URL}`,
    `  Database        ${config.env.DATABASE_URL}`,
    `  Config          ${config.configPath}`,
    "",
    `Create a test order for the demo customer Anna (Telegram user ${customer.id}):`,
    "",
    `  curl -s -X POST ${appUrl}/api/v1/orders -H 'Authorization: Bearer ${apiToken}' \\`,
    `    -H 'Content-Type: application/json' -d '${JSON.stringify(order)}'`,
    "",
    "See what Anna got in Telegram, tap a button as her, or write to the bot:",
    "",
    `  curl -s ${appUrl}/sandbox/customers/${customer.id}/messages`,
    `  curl -s -X POST ${appUrl}/sandbox/customers/${customer.id}/tap -H 'Content-Type: application/json' -d '{"button":"✅ Confirm"}'`,
    `  curl -s -X POST ${appUrl}/sandbox/customers/${customer.id}/messages -H 'Content-Type: application/json' -d '{"text":"hello"}'`,
    "",
    "Move the sandbox clock (to the next reminder, or an hour ahead):",
    "",
    `  curl -s -X POST ${appUrl}/sandbox/clock -H 'Content-Type: application/json' -d '{"next":true}'`,
    `  curl -s -X POST ${appUrl}/sandbox/clock -H 'Content-Type: application/json' -d '{"advanceMs":3600000}'`,
    "",
    "Press Ctrl-C to stop.",
    "",
  ];
  process.stdout.write(lines.join("\n"));
}
