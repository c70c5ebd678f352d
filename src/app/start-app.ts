import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import { Api } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Hono } from "hono";
import { createApi } from "../api/create-api.js";
import { registerWebhook, startPolling, telegramWebhookHandler, telegramWebhookPath, type PollingHandle } from "../bots/bot-transport.js";
import { createBot } from "../bots/create-bot.js";
import { outboxTelegramChannel } from "../bots/outbox-telegram-channel.js";
import type { Config } from "../config/load-config.js";
import { createPrismaClient, type Db } from "../db/create-prisma-client.js";
import { databaseKeyValueStorage } from "../db/key-value-storage.js";
import { migrateDatabase } from "../db/migrate.js";
import { createTranslator } from "../locales/i18n.js";
import { createOutboxDispatcher } from "../outbox/outbox-dispatcher.js";
import { markCustomerUnreachable } from "../services/mark-customer-unreachable.js";
import type { ServiceDependencies } from "../services/service-dependencies.js";
import { systemClock, type Clock } from "../shared/clock.js";
import { createLogger, type Logger } from "../shared/logger.js";
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
  /** How often the outbox looks for due messages when nobody woke it (ms). */
  outboxPollIntervalMs?: number;
}

export interface RunningApp {
  /** Where the HTTP server listens (API, health, webhook). */
  url: string;
  botUsername: string;
  transport: "polling" | "webhook";
  services: ServiceDependencies;
  /** Stops taking work, finishes what is in flight, closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** Builds and starts ordergram from a parsed config: database, outbox, bot, HTTP server. */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.env.LOG_LEVEL });
  const clock = options.clock ?? systemClock;

  const databaseUrl = config.env.DATABASE_URL;
  const { applied } = await migrateDatabase(databaseUrl);
  if (applied.length) logger.info({ applied }, "database migrated");
  const db = await createPrismaClient(databaseUrl);
  try {
    return await startWithDatabase(options, db, logger, clock);
  } catch (error) {
    await db.$disconnect();
    throw error;
  }
}

async function startWithDatabase(options: StartAppOptions, db: Db, logger: Logger, clock: Clock): Promise<RunningApp> {
  const { config } = options;

  const shop = config.file.shop;
  const translator = await createTranslator(shop, config.file.texts);
  const apiRoot = options.telegram.apiRoot;
  // The bot's identity is needed for start links before the bot starts taking updates.
  const botInfo = options.telegram.botInfo ?? (await new Api(options.telegram.token, apiRoot ? { apiRoot } : {}).getMe());

  let kickOutbox = () => {};
  const services: ServiceDependencies = {
    db,
    clock,
    logger,
    config: () => config.file,
    botUsername: botInfo.username,
    outbox: { kick: () => kickOutbox() },
  };

  const bot = createBot({
    token: options.telegram.token,
    ...(apiRoot ? { apiRoot } : {}),
    botInfo,
    services,
    translator,
    formStorage: databaseKeyValueStorage<VersionedState<ConversationData>>(db),
  });

  // The outbox sends with an Api of its own, without auto-retry: it schedules its own retries
  // instead of holding a sender while Telegram asks it to wait.
  const outboxApi = new Api(options.telegram.token, apiRoot ? { apiRoot } : {});
  const outbox = createOutboxDispatcher({
    db,
    clock,
    logger,
    telegram: outboxTelegramChannel(outboxApi, { services, translator }),
    webhook: { url: config.env.ORDERGRAM_WEBHOOK_URL ?? config.file.webhooks.url, secret: config.env.ORDERGRAM_WEBHOOK_SECRET ?? null },
    rateLimits: config.file.telegram.rateLimits,
    onUnreachable: (message) => markCustomerUnreachable(services, message.chatId, message.orderId ?? null, message.error),
    ...(options.outboxPollIntervalMs ? { pollIntervalMs: options.outboxPollIntervalMs } : {}),
  });
  kickOutbox = () => outbox.kick();

  const publicUrl = config.file.telegram.publicUrl;
  const http = await listen(
    createHttpApp({
      api: createApi({ apiToken: options.apiToken, services }),
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

  outbox.start();
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
    botUsername: botInfo.username,
    transport: publicUrl ? "webhook" : "polling",
    services,
    stop: () =>
      (stopping ??= (async () => {
        await polling?.stop();
        await http.close();
        await outbox.stop();
        await db.$disconnect();
        logger.info("stopped");
      })()),
  };
}
