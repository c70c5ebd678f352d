import type { UserFromGetMe } from "grammy/types";
import { createApi } from "../api/create-api.js";
import { createBot } from "../bots/create-bot.js";
import { registerWebhook, startPolling, telegramWebhookHandler, telegramWebhookPath, type PollingHandle } from "../bots/bot-transport.js";
import type { Config } from "../config/load-config.js";
import { createPrismaClient } from "../db/create-prisma-client.js";
import { migrateDatabase } from "../db/migrate.js";
import { createTranslator } from "../locales/i18n.js";
import { systemClock, type Clock } from "../shared/clock.js";
import { createLogger, type Logger } from "../shared/logger.js";
import type { Hono } from "hono";
import { createHttpApp, listen } from "./http-app.js";

export interface StartAppOptions {
  config: Config;
  /** The bot's token and Bot API server (Telegram, a self-hosted server, or the stand-in). */
  telegram: { token: string; apiRoot?: string; botInfo?: UserFromGetMe };
  apiToken: string;
  clock?: Clock;
  logger?: Logger;
  /** Extra HTTP sub-apps, e.g. the sandbox's control routes. */
  mounts?: Array<{ prefix: string; app: Hono }>;
}

export interface RunningApp {
  /** Where the HTTP server listens (API, health, webhook). */
  url: string;
  botUsername: string;
  transport: "polling" | "webhook";
  /** Stops taking work, finishes what is in flight, closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** Builds and starts ordergram from a parsed config: database, bot, HTTP server. */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.env.LOG_LEVEL });
  const clock = options.clock ?? systemClock;
  void clock; // the scheduler and outbox take it (issues 3 and 5)

  const databaseUrl = config.env.DATABASE_URL;
  const { applied } = await migrateDatabase(databaseUrl);
  if (applied.length) logger.info({ applied }, "database migrated");
  const db = await createPrismaClient(databaseUrl);

  const shop = config.file.shop;
  const translator = await createTranslator(shop.defaultLanguage);
  const bot = createBot({
    token: options.telegram.token,
    ...(options.telegram.apiRoot ? { apiRoot: options.telegram.apiRoot } : {}),
    ...(options.telegram.botInfo ? { botInfo: options.telegram.botInfo } : {}),
    shop,
    translator,
    logger,
  });
  await bot.init();

  const publicUrl = config.file.telegram.publicUrl;
  const http = await listen(
    createHttpApp({
      api: createApi({ apiToken: options.apiToken, logger }),
      health: async () => {
        await db.$queryRaw`SELECT 1`;
        return { database: "ok", telegram: publicUrl ? "webhook" : "polling" };
      },
      ...(publicUrl
        ? { telegramWebhook: { path: telegramWebhookPath, handler: telegramWebhookHandler(bot, options.telegram.token) } }
        : {}),
      ...(options.mounts ? { mounts: options.mounts } : {}),
    }),
    { port: config.env.PORT, host: config.env.HOST },
  );

  let polling: PollingHandle | undefined;
  if (publicUrl) {
    const webhookUrl = await registerWebhook(bot, publicUrl, options.telegram.token);
    logger.info({ webhookUrl }, "receiving Telegram updates by webhook");
  } else {
    polling = await startPolling(bot);
    logger.info("receiving Telegram updates by long polling");
  }

  let stopping: Promise<void> | undefined;
  return {
    url: http.url,
    botUsername: bot.botInfo.username,
    transport: publicUrl ? "webhook" : "polling",
    stop: () =>
      (stopping ??= (async () => {
        await polling?.stop();
        await http.close();
        await db.$disconnect();
        logger.info("stopped");
      })()),
  };
}
