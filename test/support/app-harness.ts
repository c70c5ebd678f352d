import { createServer } from "node:net";
import { startApp, type RunningApp, type StartAppOptions } from "../../src/app/start-app.js";
import { exampleConfigPath, parseConfigFile, parseEnv, type Config } from "../../src/config/load-config.js";
import type { DatabaseProvider } from "../../src/db/database-url.js";
import { createLogger } from "../../src/shared/logger.js";
import type { Clock } from "../../src/shared/clock.js";
import { startTelegramStandin, type TelegramStandin } from "../../src/telegram-standin/index.js";
import type { TelegramTestUser } from "../../src/telegram-standin/telegram-test-user.js";
import type { UserOptions } from "../../src/telegram-standin/world.js";
import { readFileSync } from "node:fs";
import { createTestDatabase, type TestDatabase } from "./test-database.js";
import { WebhookReceiver } from "./webhook-receiver.js";

export const apiToken = "test-api-token-0123456789";
export const webhookSecret = "test-webhook-secret-0123456789";
const botToken = "1234567890:TEST-token-for-the-local-stand-in-abcdef";

export interface HarnessOptions {
  provider?: DatabaseProvider;
  /** The config file's text; the shipped example when omitted. */
  configYaml?: string;
  /** Receive updates by webhook (the stand-in posts to the app) instead of long polling. */
  webhook?: boolean;
  clock?: Clock;
}

export interface Harness {
  standin: TelegramStandin;
  app: RunningApp;
  database: TestDatabase;
  webhooks: WebhookReceiver;
  config: Config;
  botUsername: string;
  /** Calls the shop API with the right token (or the one given). */
  api(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: any }>;
  addCustomer(options?: Partial<UserOptions>): TelegramTestUser;
  /** Stops the app and starts a new one on the same database and stand-in: a deploy. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * ordergram as a shop runs it, over real HTTP: the app against the local Bot API stand-in, a real
 * database (SQLite file or PostgreSQL), and a webhook receiver playing the shop.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase(options.provider ?? "sqlite");
  const standin = await startTelegramStandin();
  const bot = standin.addBot({ token: botToken, username: "test_shop_bot", firstName: "Test Shop" });
  const webhooks = await WebhookReceiver.start();
  const port = await freePort();
  const yaml = options.configYaml ?? readFileSync(exampleConfigPath, "utf8");
  const file = parseConfigFile(yaml, "test config");
  if (options.webhook) file.telegram.publicUrl = `http://127.0.0.1:${port}`;
  const config: Config = {
    env: parseEnv({
      DATABASE_URL: database.url,
      PORT: String(port),
      ORDERGRAM_WEBHOOK_URL: webhooks.url,
      ORDERGRAM_WEBHOOK_SECRET: webhookSecret,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    }),
    file,
    configPath: "test config",
    mode: "sandbox",
  };
  const startOptions: StartAppOptions = {
    config,
    apiToken,
    telegram: { token: bot.token, apiRoot: standin.url },
    logger: createLogger({ level: config.env.LOG_LEVEL }),
    outboxPollIntervalMs: 100,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  let app = await startApp(startOptions);
  let customers = 0;

  const harness: Harness = {
    standin,
    get app() {
      return app;
    },
    database,
    webhooks,
    config,
    botUsername: bot.username,
    async api(method, path, body, token = apiToken) {
      const response = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    addCustomer(customer = {}) {
      customers++;
      return standin.addUser({ firstName: `Customer${customers}`, languageCode: "en", phone: `+4917000000${String(customers).padStart(2, "0")}`, ...customer });
    },
    async restart() {
      await app.stop();
      app = await startApp(startOptions);
    },
    async close() {
      await app.stop();
      await standin.close();
      await webhooks.close();
      await database.close();
    },
  };
  return harness;
}
