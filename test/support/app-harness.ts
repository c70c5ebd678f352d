import { startApp, type RunningApp, type StartAppOptions } from "../../src/app/start-app.js";
import type { ConfigFile, RateLimits } from "../../src/config/config-schema.js";
import { configOf, exampleConfigPath, parseConfigFile, parseEnv, readConfigFile, type Config } from "../../src/config/load-config.js";
import type { DatabaseProvider } from "../../src/db/database-url.js";
import { createLogger, type Logger } from "../../src/shared/logger.js";
import { OffsetClock, type Clock } from "../../src/shared/clock.js";
import { startTelegramStandin, type StandinOptions, type TelegramStandin } from "../../src/telegram-standin/index.js";
import type { TelegramTestUser } from "../../src/telegram-standin/telegram-test-user.js";
import type { UserOptions } from "../../src/telegram-standin/world.js";
import { readFileSync } from "node:fs";
import { createTestDatabase, type TestDatabase } from "./test-database.js";
import { WebhookReceiver } from "./webhook-receiver.js";
import { freePort } from "./free-port.js";

/**
 * Where a test app's clock starts unless the test brings its own: a Tuesday, 10:00 in the example
 * config's Europe/Berlin, inside contact hours and working hours, the day before the example
 * orders' delivery date (2026-12-02). The clock runs on from there in real time, so retries and
 * leases behave as in production, but no test depends on the hour or the day it runs.
 */
export const testStartTime = "2026-12-01T09:00:00Z";

export const apiToken = "test-api-token-0123456789";
export const webhookSecret = "test-webhook-secret-0123456789";
export const botToken = "1234567890:TEST-token-for-the-local-stand-in-abcdef";

/** The configuration a test app runs with: its own database and port, webhooks to the test's receiver. */
export function testConfig(input: {
  databaseUrl: string;
  port: number;
  webhooksUrl: string;
  file: Config["file"];
  env?: Record<string, string>;
  configPath?: string;
}): Config {
  return configOf({
    env: parseEnv({
      DATABASE_URL: input.databaseUrl,
      PORT: String(input.port),
      ORDERGRAM_WEBHOOK_URL: input.webhooksUrl,
      ORDERGRAM_WEBHOOK_SECRET: webhookSecret,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      ...input.env,
    }),
    file: input.file,
    configPath: input.configPath ?? "test config",
  });
}

/**
 * The pace a test app sends at, unless the stand-in enforces Telegram's limits (floodLimits): the
 * stand-in otherwise enforces none, so pacing at Telegram's one message a second per chat (the
 * example config's) made a flow test wait a second before each message to a customer, checking
 * nothing. The outbox still paces and orders every chat's messages, with smaller numbers. A test
 * about pacing turns the flood limits on, or sets its limits in `prepare`, which runs after this.
 */
export const testRateLimits: Readonly<RateLimits> = { perChatPerSecond: 30, perGroupPerMinute: 600, globalPerSecond: 200 };

export interface HarnessOptions {
  provider?: DatabaseProvider;
  /** The config file's text; the shipped example when omitted. */
  configYaml?: string;
  /** A config file on disk instead (read like start-up reads it; the app reloads it when it changes). */
  configFile?: string;
  /** Receive updates by webhook (the stand-in posts to the app) instead of long polling. */
  webhook?: boolean;
  /** The app's clock; by default real time running from {@link testStartTime}. */
  clock?: Clock;
  /**
   * Runs before the app starts, with the stand-in and the parsed config file: create people and
   * groups (e.g. the managers' forum) and point the config at them.
   */
  prepare?: (standin: TelegramStandin, file: ConfigFile) => void;
  /** The stand-in answers 429 like Telegram when the bot sends too fast (true: Telegram's numbers). */
  floodLimits?: StandinOptions["floodLimits"];
  /** Extra environment variables (e.g. REDIS_URL). */
  env?: Record<string, string>;
  /** The app's logger (e.g. one that keeps the lines for the test, see captureLogs); silent by default. */
  logger?: Logger;
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
  /** GET /metrics with the API token (or the one given; null: none). */
  scrapeMetrics(token?: string | null): Promise<{ status: number; text: string }>;
  /**
   * Stops the app and starts a new one on the same database and stand-in: a deploy. `whileDown`
   * runs in between, for what a killed process left behind in the database.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * ordergram as a shop runs it, over real HTTP: the app against the local Bot API stand-in, a real
 * database (SQLite file or PostgreSQL), and a webhook receiver playing the shop.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase(options.provider ?? "sqlite");
  const standin = await startTelegramStandin(options.floodLimits === undefined ? {} : { floodLimits: options.floodLimits });
  const bot = standin.addBot({ token: botToken, username: "test_shop_bot", firstName: "Test Shop" });
  const webhooks = await WebhookReceiver.start();
  const port = await freePort();
  const file = options.configFile
    ? readConfigFile(options.configFile)
    : parseConfigFile(options.configYaml ?? readFileSync(exampleConfigPath, "utf8"), "test config");
  if (!options.floodLimits) file.telegram.rateLimits = { ...testRateLimits };
  if (options.webhook) file.telegram.publicUrl = `http://127.0.0.1:${port}`;
  options.prepare?.(standin, file);
  const config = testConfig({
    databaseUrl: database.url,
    port,
    webhooksUrl: webhooks.url,
    file,
    env: options.env ?? {},
    configPath: options.configFile ?? "test config",
  });
  const startOptions: StartAppOptions = {
    config,
    apiToken,
    telegram: { token: bot.token, apiRoot: standin.url },
    logger: options.logger ?? createLogger({ level: config.env.LOG_LEVEL }),
    outboxPollIntervalMs: 100,
    jobPollIntervalMs: 100,
    clock: options.clock ?? new OffsetClock(Date.now, testStartTime),
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
    async scrapeMetrics(token = apiToken) {
      const response = await fetch(`${app.url}/metrics`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, text: await response.text() };
    },
    addCustomer(customer = {}) {
      customers++;
      return standin.addUser({
        firstName: `Customer${customers}`,
        languageCode: "en",
        phone: `+4917000000${String(customers).padStart(2, "0")}`,
        ...customer,
      });
    },
    async restart(whileDown) {
      await app.stop();
      await whileDown?.();
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
