// The real use cases, job handlers and outbox on one SQLite database and a manual clock, without
// the HTTP app or the Telegram stand-in: what a Telegram call would carry is recorded instead
// (a grammY Api whose transformer answers every call). For tests that drive hundreds of order
// timelines (test/properties/promise-timeline.test.ts): reset() empties the tables between them.
import { AsyncLocalStorage } from "node:async_hooks";
import { readFileSync } from "node:fs";
import { Api } from "grammy";
import { outboxTelegramChannel } from "../../src/bots/outbox-telegram-channel.js";
import { exampleConfigPath, parseConfigFile } from "../../src/config/load-config.js";
import { nextContactTime } from "../../src/domain/contact-hours.js";
import { createTranslator } from "../../src/locales/i18n.js";
import { createOutboxDispatcher, type OutboxDispatcher } from "../../src/outbox/outbox-dispatcher.js";
import { createJobRunner, type JobRunner } from "../../src/scheduler/job-runner.js";
import { contactHoursOf } from "../../src/services/contact-time.js";
import { customerReachJobHandlers } from "../../src/services/customer-reach.js";
import { followUpJobHandlers } from "../../src/services/follow-up-jobs.js";
import { handoffJobHandlers } from "../../src/services/handoff/handoff-jobs.js";
import type { ServiceDependencies } from "../../src/services/service-dependencies.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import { noOperationsMetrics } from "../../src/shared/operations-metrics.js";
import type { ConfigFile } from "../../src/config/config-schema.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

/** One Telegram call that sends or edits a message, as the customer (or a group) would see it. */
export interface RecordedCall {
  /** The manual clock's time when the call was made. */
  at: Date;
  method: string;
  chatId: bigint;
  text: string;
  /** The outbox row being delivered, with its intent and when it was queued. */
  row: { id: string; intent: unknown; createdAt: Date } | null;
}

export interface TimelineRig {
  readonly deps: ServiceDependencies;
  readonly clock: ManualClock;
  readonly config: ConfigFile;
  /** Every sendMessage / editMessageText since the last reset, in order. */
  readonly calls: RecordedCall[];
  /** Empties every table, clears the calls, and sets the clock (a new timeline). */
  reset(start: Date): Promise<void>;
  /** Runs due jobs and due outbox rows until nothing more is due at the clock's time. */
  settle(): Promise<void>;
  /**
   * Moves the clock to `until`, stopping at each due job or message on the way; with `stopWhen`,
   * stops early at the first of those moments after which it holds.
   */
  advanceTo(until: Date, stopWhen?: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Limits high enough that pacing never holds the rig up. */
const fastLimits = { perChatPerSecond: 1000, perGroupPerMinute: 60_000, globalPerSecond: 1000 };

export async function createTimelineRig(adjust: (config: ConfigFile) => void = () => {}): Promise<TimelineRig> {
  const database: TestDatabase = await createTestDatabase("sqlite");
  const { db } = database;
  const config = parseConfigFile(readFileSync(exampleConfigPath, "utf8"), "example");
  adjust(config);
  const clock = new ManualClock("2026-12-01T08:00:00Z");
  const logger = createLogger({ level: "silent" });
  const calls: RecordedCall[] = [];
  let outbox: OutboxDispatcher | undefined;
  const deps: ServiceDependencies = {
    db,
    clock,
    logger,
    metrics: noOperationsMetrics,
    config: () => config,
    botUsername: "timeline_shop_bot",
    // The rig runs the outbox itself (settle); a tap's answer goes out at once, as in the app.
    outbox: { kick: () => {}, deliverNow: (keys) => outbox!.deliverNow(keys) },
  };
  const translator = await createTranslator(config.shop, config.texts);

  const delivering = new AsyncLocalStorage<RecordedCall["row"]>();
  let messageId = 1000;
  const api = new Api("1:timeline-rig", { apiRoot: "http://127.0.0.1:9" });
  // Never reaches the network: every call is answered here, and the visible ones are recorded.
  api.config.use(async (_prev, method, payload) => {
    const fields = payload as { chat_id?: number | string; text?: string; message_id?: number };
    const chatId = BigInt(fields.chat_id ?? 0);
    if (method === "sendMessage" || method === "editMessageText") {
      calls.push({ at: clock.now(), method, chatId, text: fields.text ?? "", row: delivering.getStore() ?? null });
    }
    const message = {
      message_id: fields.message_id ?? ++messageId,
      date: Math.floor(clock.now().getTime() / 1000),
      chat: { id: Number(chatId), type: "private" },
      text: fields.text ?? "",
    };
    const result =
      method === "createForumTopic"
        ? { message_thread_id: ++messageId, name: "topic", icon_color: 0 }
        : method.startsWith("send") || method.startsWith("edit") || method === "copyMessage"
          ? message
          : true;
    return { ok: true, result } as never;
  });
  const channel = outboxTelegramChannel(api, { services: deps, translator });

  const makeOutbox = () =>
    createOutboxDispatcher({
      db,
      clock,
      logger,
      telegram: {
        pacesOwnSends: channel.pacesOwnSends,
        deliver: async (message) => {
          const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: message.id }, select: { id: true, createdAt: true } });
          return delivering.run({ ...row, intent: message.intent }, () => channel.deliver(message));
        },
      },
      webhook: { url: null, secret: null },
      rateLimits: fastLimits,
      nextContactTime: (at) => nextContactTime(at, contactHoursOf(config.notifications), config.shop.timeZone) ?? at,
    });
  const makeJobs = () =>
    createJobRunner({
      db,
      clock,
      logger,
      handlers: { ...followUpJobHandlers(deps), ...handoffJobHandlers(deps), ...customerReachJobHandlers(deps) },
    });
  outbox = makeOutbox();
  let jobs: JobRunner = makeJobs();

  const tables = (
    await db.$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'`,
    )
  ).map((t) => t.name);

  async function settle(): Promise<void> {
    for (let pass = 0; pass < 200; pass++) {
      const ran = (await jobs.runOnce()) + (await outbox!.runOnce());
      if (ran === 0) return;
    }
    throw new Error("the jobs and the outbox did not settle after 200 passes");
  }

  /** The next moment after now a job or a Telegram message is due, if any (settle() ran what is due now). */
  async function nextDue(): Promise<Date | null> {
    const now = clock.now();
    const [job, message] = await Promise.all([
      db.job.findFirst({ where: { status: "pending", dueAt: { gt: now } }, orderBy: { dueAt: "asc" }, select: { dueAt: true } }),
      db.outboxMessage.findFirst({
        where: { status: "pending", channel: "telegram", nextAttemptAt: { gt: now } },
        orderBy: { nextAttemptAt: "asc" },
        select: { nextAttemptAt: true },
      }),
    ]);
    const times = [job?.dueAt, message?.nextAttemptAt].filter((t): t is Date => t !== undefined);
    return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
  }

  return {
    deps,
    clock,
    config,
    calls,
    async reset(start) {
      // Foreign keys: delete what nothing points to first, until every table is empty.
      let left = [...tables];
      for (let round = 0; left.length > 0; round++) {
        if (round > tables.length) throw new Error(`could not empty ${left.join(", ")}`);
        const failed: string[] = [];
        for (const table of left) await db.$executeRawUnsafe(`DELETE FROM "${table}"`).catch(() => failed.push(table));
        left = failed;
      }
      calls.length = 0;
      clock.set(start);
      // Fresh runners: nothing of the last timeline's pacing or leases carries over.
      outbox = makeOutbox();
      jobs = makeJobs();
    },
    settle,
    async advanceTo(until, stopWhen = () => false) {
      await settle();
      while (!stopWhen()) {
        const due = await nextDue();
        if (!due || due.getTime() > until.getTime()) break;
        clock.set(due);
        await settle();
      }
      if (stopWhen()) return;
      if (until.getTime() > clock.now().getTime()) clock.set(until);
      await settle();
    },
    close: () => database.close(),
  };
}
