import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import { Api } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import type { Hono } from "hono";
import { createApi } from "../api/create-api.js";
import { telegramHtmlDefaults } from "../bots/telegram-html-defaults.js";
import { configWarnings } from "../config/config-warnings.js";
import { nextContactTime } from "../domain/contact-hours.js";
import { contactHoursOf } from "../services/contact-time.js";
import {
  inFlightGraceMs,
  registerWebhook,
  startPolling,
  telegramWebhookHandler,
  telegramWebhookPath,
  updatesInFlight,
  type PollingHandle,
} from "../bots/bot-transport.js";
import { createUpdateIntake } from "../bots/update-intake.js";
import { createBot, handledByOrdergram } from "../bots/create-bot.js";
import { outboxTelegramChannel } from "../bots/outbox-telegram-channel.js";
import { telegramFileSource } from "../flows/returns/telegram-file-source.js";
import type { Config } from "../config/load-config.js";
import { createPrismaClient, type Db } from "../db/create-prisma-client.js";
import { providerOf } from "../db/database-url.js";
import { databaseKeyValueStorage } from "../db/key-value-storage.js";
import { migrateDatabase } from "../db/migrate.js";
import { createTranslator } from "../locales/i18n.js";
import { createOutboxDispatcher } from "../outbox/outbox-dispatcher.js";
import { createSharedPacing } from "../outbox/shared-pacing.js";
import { DEFAULT_RATE_LIMITS } from "../outbox/telegram-pacer.js";
import { createJobRunner } from "../scheduler/job-runner.js";
import { customerReachJobHandlers } from "../services/customer-reach.js";
import { reportUndeliverable } from "../services/report-undeliverable.js";
import { followUpJobHandlers } from "../services/follow-up-jobs.js";
import { startFollowUpSweeps } from "../services/schedule-order-follow-ups.js";
import { acquireInstanceLock } from "../db/sqlite-instance-lock.js";
import { onCommittedOrderEvents } from "../db/committed-order-events.js";
import { createBusinessEventLog } from "../services/business-events.js";
import { countTelegramCalls } from "../telegram/count-telegram-calls.js";
import { releaseAbandonedLeases } from "../db/release-leases.js";
import { inboundUpdateJournal } from "../db/inbound-update-journal.js";
import { withTransaction } from "../db/transaction.js";
import { escalateOrder } from "../services/escalate-order.js";
import { handoffJobHandlers } from "../services/handoff/handoff-jobs.js";
import { markCustomerUnreachable } from "../services/mark-customer-unreachable.js";
import type { ServiceDependencies } from "../services/service-dependencies.js";
import { systemClock, type Clock } from "../shared/clock.js";
import { DEFAULT_LEASE_MS } from "../shared/lease-keeper.js";
import { createLogger, type Logger } from "../shared/logger.js";
import { rereadStoredPhones } from "../services/reread-stored-phones.js";
import { createConfigReloader, type ReloadResult } from "./config-reloader.js";
import { drainWork, type DrainOptions } from "./drain-work.js";
import { createHttpApp, listen } from "./http-app.js";
import { createPrometheusMetrics } from "./prometheus-metrics.js";

export interface StartAppOptions {
  config: Config;
  /** The bot's token and Bot API server (Telegram, a self-hosted server, or the stand-in). */
  telegram: { token: string; apiRoot?: string; botInfo?: UserFromGetMe };
  apiToken: string;
  clock?: Clock;
  logger?: Logger;
  /** Extra HTTP sub-apps, e.g. the sandbox's control routes. */
  mounts?: Array<{ prefix: string; app: Hono }>;
  /**
   * Where updates come from: "own" (long polling, or Telegram's webhook when telegram.publicUrl is
   * set), or "host": a shop's bot receives them and passes them to handleUpdate.
   */
  updates?: "own" | "host";
  /** How often the outbox looks for due messages when nobody woke it (ms). */
  outboxPollIntervalMs?: number;
  /** How often the scheduler looks for due jobs when nobody woke it (ms). */
  jobPollIntervalMs?: number;
  /** Wires a re-read config file the way `config` was (the sandbox points it at its stand-in). */
  adaptConfig?: (config: Config) => Config;
  /** Reload when the config file changes (default: when config.configPath is a file). SIGHUP works regardless. */
  watchConfig?: boolean;
}

export interface RunningApp {
  /** Where the HTTP server listens (API, health, webhook). */
  url: string;
  botUsername: string;
  transport: "polling" | "webhook" | "host";
  services: ServiceDependencies;
  /** Handles one update (hosted mode); false when it is not ordergram's and the host should handle it. */
  handleUpdate(update: Update): Promise<boolean>;
  /** The durable job runner (reminders, nudges...): kick() makes it look for due jobs now. */
  scheduler: { kick(): void };
  /**
   * Resolves when the updates in hand are handled and nothing due is left undone in the outbox
   * and the scheduler, nor in flight (see drainWork): what tests await before asserting absence.
   */
  drain(options?: DrainOptions): Promise<void>;
  /** Reads the config file again: a valid one is in force for new dialogs, an invalid one is refused. */
  reloadConfig(): Promise<ReloadResult>;
  /** Stops taking work, finishes what is in flight, closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** Builds and starts ordergram from a parsed config: database, outbox, bot, HTTP server. */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.env.LOG_LEVEL });
  const clock = options.clock ?? systemClock;

  // Accepted with a fallback, but the owner should hear of it (config:check lists them with lines).
  for (const warning of configWarnings(config.file)) logger.warn({ key: warning.path }, `config: ${warning.message}`);

  const databaseUrl = config.env.DATABASE_URL;
  // SQLite: one instance per file; a second one stops here with the reason.
  const lock = acquireInstanceLock(databaseUrl, clock.now());
  try {
    const { applied } = await migrateDatabase(databaseUrl);
    if (applied.length) logger.info({ applied }, "database migrated");
    const db = await createPrismaClient(databaseUrl);
    let app: RunningApp;
    try {
      // Holding the SQLite lock proves no other instance runs: what a dead one had claimed is taken at once.
      if (lock) {
        const released = await releaseAbandonedLeases(db);
        if (released.outbox + released.jobs > 0) logger.info(released, "took over what a stopped instance had claimed");
      }
      app = await startWithDatabase(options, db, logger, clock, { alone: lock !== null });
    } catch (error) {
      await db.$disconnect();
      throw error;
    }
    return { ...app, stop: () => app.stop().finally(() => lock?.release()) };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/**
 * How long a claim (outbox rows, jobs, updates in hand) lasts unrenewed: short where several
 * instances may share the database, so a dead one's work is taken over soon.
 */
function leaseMsFor(config: Config): number {
  const seconds = config.env.ORDERGRAM_LEASE_SECONDS;
  return seconds !== undefined ? seconds * 1000 : DEFAULT_LEASE_MS[providerOf(config.env.DATABASE_URL)];
}
/** Handled updates are kept this long to recognise a redelivery (Telegram keeps them a day). */
const handledUpdateKeptMs = 2 * 24 * 60 * 60_000;

async function startWithDatabase(
  options: StartAppOptions,
  db: Db,
  logger: Logger,
  clock: Clock,
  database: { alone: boolean },
): Promise<RunningApp> {
  const { config } = options;
  const leaseMs = leaseMsFor(config);
  // One per start (a restart in the same process is another instance): its lease tokens begin with it.
  const instanceId = `${hostname()}:${process.pid}/${randomUUID()}`;

  const shop = config.file.shop;
  const translator = await createTranslator(shop, config.file.texts);
  const configs = createConfigReloader({
    initial: config,
    translator,
    logger,
    adapt: options.adaptConfig,
    // Phones stored without a country are read again once the owner sets (or changes) it.
    onReloaded: async (next, previous) => {
      if (next.file.shop.country !== previous.file.shop.country) await rereadStoredPhones({ db, logger }, next.file.shop.country);
    },
  });
  const apiRoot = options.telegram.apiRoot;
  // The bot's identity is needed for start links before the bot starts taking updates.
  const botInfo = options.telegram.botInfo ?? (await new Api(options.telegram.token, apiRoot ? { apiRoot } : {}).getMe());

  let kickOutbox = () => {};
  let deliverOutboxNow = async (_keys: string[]) => {};
  let jobKinds: readonly string[] = [];
  const metrics = createPrometheusMetrics({ db, clock, outboxChannels: ["telegram", "webhook"], jobKinds: () => jobKinds });
  const services: ServiceDependencies = {
    db,
    clock,
    logger,
    metrics: metrics.recorder,
    config: () => configs.current().file,
    botUsername: botInfo.username,
    outbox: { kick: () => kickOutbox(), deliverNow: (keys) => deliverOutboxNow(keys) },
  };
  // One line per business event (order received, confirmed...), once its change is committed.
  const businessLog = createBusinessEventLog(services);
  onCommittedOrderEvents(db, (events) => businessLog.ordersChanged(events));

  const bot = createBot({
    token: options.telegram.token,
    ...(apiRoot ? { apiRoot } : {}),
    botInfo,
    services,
    translator,
    formStorage: databaseKeyValueStorage<VersionedState<ConversationData>>(db),
    mode: options.updates === "host" ? "hosted" : "standalone",
  });
  await bot.init();

  // The outbox sends with an Api of its own, without auto-retry: it schedules its own retries
  // instead of holding a sender while Telegram asks it to wait.
  const outboxApi = new Api(options.telegram.token, apiRoot ? { apiRoot } : {});
  outboxApi.config.use(countTelegramCalls(services.metrics));
  outboxApi.config.use(telegramHtmlDefaults);
  // Several instances with REDIS_URL pace together, so the limits hold for the bot as a whole.
  const sharedPacing = config.env.REDIS_URL
    ? await createSharedPacing({
        limits: { ...DEFAULT_RATE_LIMITS, ...config.file.telegram.rateLimits },
        redisUrl: config.env.REDIS_URL,
        botId: botInfo.id,
        logger,
      })
    : null;
  const webhookTarget = {
    url: config.env.ORDERGRAM_WEBHOOK_URL ?? config.file.webhooks.url,
    secret: config.env.ORDERGRAM_WEBHOOK_SECRET ?? null,
  };
  const outbox = createOutboxDispatcher({
    db,
    clock,
    logger,
    instanceId,
    telegram: outboxTelegramChannel(outboxApi, { services, translator }),
    webhook: webhookTarget,
    rateLimits: config.file.telegram.rateLimits,
    ...(sharedPacing ? { pacer: sharedPacing.pacer } : {}),
    onUnreachable: async (message) => {
      await markCustomerUnreachable(services, message.chatId, message.orderId ?? null, message.error);
      // A customer the bot cannot reach any more is a person's job (a manager may call them).
      if (message.orderId && message.chatId > 0n)
        await escalateOrder(services, { orderId: message.orderId, reason: "unreachable", detail: message.error });
    },
    onWebhookFailed: (failure) =>
      businessLog.webhookFailed({
        outboxId: failure.id,
        orderId: failure.orderId,
        webhook: failure.event,
        attempt: failure.attempt,
        final: failure.final,
        error: failure.error,
      }),
    onUndeliverable: (message) =>
      reportUndeliverable(services, {
        messageId: message.id,
        chatId: message.chatId,
        orderId: message.orderId ?? null,
        intent: message.intent,
        error: message.error,
      }),
    // The owner's contact hours as they are now in force (a reload changes them).
    nextContactTime: (at) => nextContactTime(at, contactHoursOf(services.config().notifications), services.config().shop.timeZone) ?? at,
    ...(options.outboxPollIntervalMs ? { pollIntervalMs: options.outboxPollIntervalMs } : {}),
    leaseMs,
  });
  kickOutbox = () => outbox.kick();
  deliverOutboxNow = (keys) => outbox.deliverNow(keys);

  // Timed actions (nudges, reminders, quiet-parcel checks...), kept in the database as jobs.
  // Other features add their job kinds' handlers to this map.
  const jobHandlers = { ...followUpJobHandlers(services), ...handoffJobHandlers(services), ...customerReachJobHandlers(services) };
  jobKinds = Object.keys(jobHandlers);
  const jobs = createJobRunner({
    db,
    clock,
    logger,
    instanceId,
    handlers: jobHandlers,
    ...(options.jobPollIntervalMs ? { pollIntervalMs: options.jobPollIntervalMs } : {}),
    leaseMs,
  });

  // A host bot receives the updates itself and hands them over (createOrdergram).
  const publicUrl = options.updates === "host" ? null : config.file.telegram.publicUrl;
  // Updates by webhook or from a host bot: handled like polled ones (bot.catch, per-chat order).
  // Each update is recorded before Telegram is told it arrived, and handled once, even across a crash.
  const journal = inboundUpdateJournal(db, { instanceId, now: () => clock.now(), leaseMs, logger });
  const intake = createUpdateIntake(bot, journal, updatesInFlight, logger);
  await journal.forgetHandled(new Date(clock.now().getTime() - handledUpdateKeptMs));
  // Alone on SQLite, what a dead instance left is owed now; on PostgreSQL once its lease ran out.
  const resumeUnfinished = () => intake.resumeUnfinished(database.alone ? "all" : "abandoned");
  // Before the webhook can deliver anything new: what was taken earlier is handled first.
  await resumeUnfinished();
  // On PostgreSQL, a lease that runs out later (its instance just died) is looked for twice a lease.
  const sweep = database.alone
    ? undefined
    : setInterval(
        () => void resumeUnfinished().catch((error: unknown) => logger.error({ err: error }, "could not look for unfinished updates")),
        leaseMs / 2,
      );
  sweep?.unref();
  const http = await listen(
    createHttpApp({
      api: createApi({ apiToken: options.apiToken, services, telegramFiles: telegramFileSource(bot.api) }),
      metrics: {
        token: config.env.ORDERGRAM_METRICS_TOKEN ?? options.apiToken,
        tokenName: config.env.ORDERGRAM_METRICS_TOKEN ? "ORDERGRAM_METRICS_TOKEN" : "ORDERGRAM_API_TOKEN",
        scrape: () => metrics.scrape(),
      },
      health: async () => {
        await db.$queryRaw`SELECT 1`;
        return { database: "ok", telegram: publicUrl ? "webhook" : "polling" };
      },
      ...(publicUrl
        ? { telegramWebhook: { path: telegramWebhookPath, handler: telegramWebhookHandler(intake, options.telegram.token, logger) } }
        : {}),
      ...(options.mounts ? { mounts: options.mounts } : {}),
    }),
    { port: config.env.PORT, host: config.env.HOST },
  );

  await rereadStoredPhones({ db, logger }, shop.country);
  outbox.start();
  await withTransaction(db, (tx) => startFollowUpSweeps(tx, clock.now()));
  jobs.start();
  let polling: PollingHandle | undefined;
  if (options.updates === "host") {
    logger.info("updates come from the host bot");
  } else if (publicUrl) {
    const webhookUrl = await registerWebhook(bot, publicUrl, options.telegram.token);
    logger.info({ webhookUrl }, "receiving Telegram updates by webhook");
  } else {
    polling = await startPolling(bot, intake, logger);
    logger.info("receiving Telegram updates by long polling");
  }
  // An owner's edit to the config file (or SIGHUP, in main.ts) puts it in force for new dialogs.
  if (options.watchConfig ?? existsSync(config.configPath)) configs.watch();

  let stopping: Promise<void> | undefined;
  return {
    url: http.url,
    botUsername: botInfo.username,
    transport: options.updates === "host" ? "host" : publicUrl ? "webhook" : "polling",
    services,
    handleUpdate: async (update) => {
      await intake.handle(update);
      return handledByOrdergram(update);
    },
    scheduler: { kick: () => jobs.kick() },
    drain: (drainOptions) =>
      drainWork(
        {
          db,
          clock,
          instanceId,
          outboxChannels: webhookTarget.url && webhookTarget.secret ? ["telegram", "webhook"] : ["telegram"],
          jobKinds: Object.keys(jobHandlers),
          outbox,
          jobs,
          updatesHandled: async () => {
            await intake.drain(inFlightGraceMs);
            await polling?.drain(inFlightGraceMs);
          },
        },
        drainOptions,
      ),
    reloadConfig: () => configs.reload(),
    stop: () =>
      (stopping ??= (async () => {
        configs.close();
        clearInterval(sweep);
        await polling?.stop();
        await http.close();
        // Webhook and host updates already taken are finished, as polling's stop does.
        await intake.drain(inFlightGraceMs);
        journal.close();
        await jobs.stop();
        await outbox.stop();
        await sharedPacing?.close();
        await db.$disconnect();
        logger.info("stopped");
      })()),
  };
}
