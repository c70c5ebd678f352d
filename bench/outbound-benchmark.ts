// Benchmark 2: many automatic messages due at the same moment, with the stand-in enforcing
// Telegram's flood limits. Drives the real "due notification" path: confirmed orders with an open
// delivery promise and their `delivery.reminder` job (src/services/follow-up-jobs.ts), all made
// due at one instant; the scheduler runs them, they enqueue outbox rows, the outbox sends them
// paced. Measures what reaches the stand-in: rate, 429s, lateness after the due time.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { benchConfigYaml, botToken, startOrdergram, startStandinProcess } from "./lib/environment.js";
import { ResourceMeter, round } from "./lib/processes.js";
import { copyOrders, insertJobs, openSeedDatabase, sqliteDate } from "./lib/seed.js";
import { distribution, withConcurrency, type Distribution } from "./lib/stats.js";
import { setTimeout as sleep } from "node:timers/promises";

export const GLOBAL_LIMIT_PER_SECOND = 30;

export interface OutboundResult {
  path: string;
  notifications: number;
  delivered: number;
  /** Answers 429 the stand-in gave during the run (any method). */
  tooManyRequests: number;
  /** (delivered - 1) / (last send - first send). */
  messagesPerSecond: number;
  fractionOfGlobalLimit: number;
  /** Send time - due time (ms). */
  lateness: Distribution;
  /** The least lateness the limit allows for the i-th message (i / 30 s), for comparison. */
  idealLateness: Distribution;
  /** Lateness minus that minimum, per message in send order (ms). */
  excessLateness: Distribution;
  /** From the due time to the first message (ms): the scheduler's and outbox's reaction time. */
  firstMessageAfterMs: number;
  resources: Record<string, { cpuSeconds: number; cpuCores: number; peakRssMb: number }>;
}

export async function runOutboundBenchmark(options: {
  notifications: number;
  workDir: string;
  logDir: string;
  log: (line: string) => void;
}): Promise<OutboundResult> {
  const { notifications: count, log } = options;
  const standin = await startStandinProcess({ floodLimits: true, logFile: path.join(options.logDir, "outbound-standin.log") });
  const token = botToken(20);
  await standin.control("POST", "/bots", { token, username: "shop_outbound_bot", firstName: "Demo Shop" });
  // Customers who opened the bot before (so it may write first), one chat each.
  const chatIds = await withConcurrency(count, 32, async (i) => {
    const { id } = await standin.control<{ id: number }>("POST", "/users", {
      firstName: `Customer${i}`,
      languageCode: "en",
      bot: token,
      started: true,
    });
    return id;
  });

  const databaseUrl = `file:${path.join(options.workDir, "outbound.db")}`;
  const configYaml = benchConfigYaml();
  const seed = await openSeedDatabase(databaseUrl, configYaml);
  const date = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const window = "14:00-18:00";
  const delivery = { ...(JSON.parse(String(seed.template.order.delivery)) as object), date, window };
  const run = randomUUID().slice(0, 8);
  const now = sqliteDate(new Date());
  const parked = sqliteDate(new Date("2100-01-01T00:00:00Z"));
  const orderIds = copyOrders(seed, count, (i) => ({
    key: `${run}-${i}`,
    state: "confirmed",
    chatId: chatIds[i]!,
    telegramUserId: chatIds[i]!,
    delivery,
    dialogStep: "finished",
  }));
  seed.sqlite.transaction(() => {
    const chat = seed.sqlite.prepare(
      `INSERT INTO "TelegramChat" ("id", "type", "customerId", "languageCode", "createdAt", "updatedAt") ` +
        `VALUES (?, 'private', ?, 'en', ?, ?)`,
    );
    const promise = seed.sqlite.prepare(
      `INSERT INTO "OrderPromise" ("id", "orderId", "kind", "dueDate", "window", "madeAt", "status") ` +
        `VALUES (?, ?, 'delivery', ?, ?, ?, 'open')`,
    );
    orderIds.forEach((orderId, i) => {
      chat.run(chatIds[i]!, `c-${run}-${i}`, now, now);
      promise.run(`p-${run}-${i}`, orderId, date, window, now);
    });
  })();
  // The follow-up planning of these orders counts as done, so the reconciler leaves them alone;
  // the reminders wait (parked in 2100) until the bot is up.
  insertJobs(seed, count * 2, (n) => {
    const i = n >> 1;
    const orderId = orderIds[i]!;
    return n % 2 === 0
      ? {
          id: `jc-${run}-${i}`,
          kind: "order.confirmed",
          orderId,
          dueAt: now,
          dedupeKey: `order.confirmed:${orderId}`,
          payload: "{}",
          status: "done",
          attempts: 1,
          createdAt: now,
        }
      : {
          id: `jr-${run}-${i}`,
          kind: "delivery.reminder",
          orderId,
          dueAt: parked,
          dedupeKey: `delivery.reminder:${orderId}:${date}:${window}`,
          payload: JSON.stringify({ date, window }),
          status: "pending",
          attempts: 0,
          createdAt: now,
        };
  });

  const app = await startOrdergram({
    token,
    apiRoot: standin.apiUrl,
    databaseUrl,
    workDir: options.workDir,
    configYaml,
    logFile: path.join(options.logDir, "outbound-ordergram.log"),
  });
  try {
    await sleep(1000); // let start-up work (sweeps) settle
    await standin.control("POST", "/clear");
    const meter = new ResourceMeter([app.child, standin.child]);
    const dueAt = Date.now() + 1000;
    seed.sqlite
      .prepare(`UPDATE "Job" SET "dueAt" = ? WHERE "kind" = 'delivery.reminder' AND "id" LIKE ?`)
      .run(sqliteDate(new Date(dueAt)), `jr-${run}-%`);
    log(`  ${count} reminders due at ${new Date(dueAt).toISOString()}`);

    const ours = new Set(chatIds);
    const sentAt = new Map<number, number>();
    let tooManyRequests = 0;
    let after = 0;
    // Bounded: the limit allows count/30 s; give it three times that plus a minute.
    const deadline = dueAt + (count / GLOBAL_LIMIT_PER_SECOND) * 3000 + 60_000;
    while (sentAt.size < count && Date.now() < deadline) {
      await sleep(500);
      const { calls } = await standin.control<{
        calls: Array<{ seq: number; at: number; method: string; chatId: unknown; ok: boolean; errorCode?: number }>;
      }>("GET", `/calls?after=${after}`);
      for (const call of calls) {
        after = Math.max(after, call.seq);
        if (call.errorCode === 429) tooManyRequests++;
        if (
          call.ok &&
          call.method === "sendMessage" &&
          typeof call.chatId === "number" &&
          ours.has(call.chatId) &&
          !sentAt.has(call.chatId)
        )
          sentAt.set(call.chatId, call.at);
      }
    }
    const resources = meter.finish();
    const times = [...sentAt.values()].sort((a, b) => a - b);
    const lateness = times.map((at) => at - dueAt);
    const ideal = times.map((_, i) => (i / GLOBAL_LIMIT_PER_SECOND) * 1000);
    const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
    const rate = times.length > 1 ? (times.length - 1) / span : 0;
    const result: OutboundResult = {
      path: "scheduler job delivery.reminder -> outbox -> Telegram (the issue-5 due-notification path)",
      notifications: count,
      delivered: times.length,
      tooManyRequests,
      messagesPerSecond: round(rate, 2),
      fractionOfGlobalLimit: round(rate / GLOBAL_LIMIT_PER_SECOND, 3),
      lateness: distribution(lateness),
      idealLateness: distribution(ideal),
      excessLateness: distribution(lateness.map((late, i) => late - ideal[i]!)),
      firstMessageAfterMs: round(lateness[0] ?? NaN),
      resources,
    };
    log(
      `  ${result.delivered}/${count} sent, ${result.messagesPerSecond} msg/s (${Math.round(result.fractionOfGlobalLimit * 100)} % of ` +
        `${GLOBAL_LIMIT_PER_SECOND}/s), ` +
        `${tooManyRequests} × 429, lateness p50/p99 ${result.lateness.p50}/${result.lateness.p99} ms (ideal ` +
        `${result.idealLateness.p50}/${result.idealLateness.p99})`,
    );
    return result;
  } finally {
    seed.close();
    await app.child.stop();
    await standin.child.stop();
  }
}
