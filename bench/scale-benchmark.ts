// Benchmark 3: ordergram at rest on a large database (SQLite): orders waiting for the customer and
// scheduled jobs, grown in steps (10k / 100k / 1M jobs, one waiting order per ten jobs). At each
// step: start-up time (spawn -> /healthz 200), RSS at rest, and the time to find due jobs: the
// scheduler's own claim SELECT and a whole runOnce() pass of its runner (claim, lease, 50 no-op
// handlers, write-back), with 100 jobs due among the rest.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createPrismaClient } from "../src/db/create-prisma-client.js";
import { createJobRunner, type JobHandler } from "../src/scheduler/job-runner.js";
import { systemClock } from "../src/shared/clock.js";
import { createLogger } from "../src/shared/logger.js";
import { benchConfigYaml, botToken, startOrdergram, startStandinProcess } from "./lib/environment.js";
import { memoryMb, round } from "./lib/processes.js";
import { copyOrders, count as countRows, insertJobs, openSeedDatabase, sqliteDate } from "./lib/seed.js";
import { distribution, type Distribution } from "./lib/stats.js";

export interface ScaleLevel {
  jobs: number;
  waitingOrders: number;
  databaseMb: number;
  seedSeconds: number;
  startupMs: number;
  rssAtRestMb: number;
  peakRssMb: number;
  /** The runner's claim SELECT (same where/orderBy/take as job-runner.ts claim()), 100 due. */
  claimQuery: Distribution;
  /** A whole runner pass: claim + lease + 50 no-op handlers + write-back. */
  runnerPass: Distribution;
  /** The plain query the Job index serves: status = pending AND dueAt <= now ORDER BY dueAt LIMIT 50. */
  indexQuery: Distribution;
  indexQueryPlan: string;
}

export interface ScaleResult {
  database: "sqlite";
  levels: ScaleLevel[];
}

const KINDS = ["order.nudge", "delivery.reminder", "promise.check"] as const;
const DUE = 100;

export async function runScaleBenchmark(options: {
  jobLevels: number[];
  workDir: string;
  logDir: string;
  log: (line: string) => void;
}): Promise<ScaleResult> {
  const { log } = options;
  const databaseUrl = `file:${path.join(options.workDir, "scale.db")}`;
  const configYaml = benchConfigYaml();
  const seed = await openSeedDatabase(databaseUrl, configYaml);
  const standin = await startStandinProcess({ floodLimits: false, logFile: path.join(options.logDir, "scale-standin.log") });
  const token = botToken(30);
  await standin.control("POST", "/bots", { token, username: "shop_scale_bot", firstName: "Demo Shop" });
  const run = randomUUID().slice(0, 8);
  const levels: ScaleLevel[] = [];
  let jobs = 0;
  let orders = 0;
  try {
    for (const target of options.jobLevels) {
      const seedStarted = performance.now();
      const ordersTarget = Math.round(target / 10);
      const base = orders;
      copyOrders(seed, ordersTarget - orders, (i) => ({ key: `${run}-${base + i}` }));
      orders = ordersTarget;
      const now = Date.now();
      const jobBase = jobs;
      const createdAt = sqliteDate(new Date(now));
      // Scheduled over the next 30 days, from an hour from now: none due.
      insertJobs(seed, target - jobs, (i) => {
        const n = jobBase + i;
        const kind = KINDS[n % KINDS.length]!;
        return {
          id: `j-${run}-${n}`,
          kind,
          orderId: `o-${run}-${n % ordersTarget}`,
          dueAt: sqliteDate(new Date(now + 3_600_000 + ((n * 7919) % (30 * 86_400)) * 1000)),
          dedupeKey: `${kind}:bench:${run}:${n}`,
          payload: kind === "order.nudge" ? `{"n":1}` : "{}",
          status: "pending",
          attempts: 0,
          createdAt,
        };
      });
      jobs = target;
      seed.sqlite.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      seed.sqlite.exec("ANALYZE");
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      const databaseMb =
        (
          seed.sqlite.prepare("SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()").get() as {
            bytes: number;
          }
        ).bytes /
        1024 ** 2;
      log(
        `  seeded ${countRows(seed, "Job")} jobs, ${countRows(seed, "Order")} orders (${round(databaseMb)} MB) in ${round(seedSeconds)} s`,
      );

      // Start-up and memory at rest.
      const app = await startOrdergram({
        token,
        apiRoot: standin.apiUrl,
        databaseUrl,
        workDir: options.workDir,
        configYaml,
        logFile: path.join(options.logDir, `scale-ordergram-${target}.log`),
      });
      let rssAtRestMb: number;
      let peakRssMb: number;
      try {
        await sleep(1500);
        const probe = await app.api("GET", `/orders?externalId=E-${run}-${Math.floor(orders / 2)}`);
        if (probe.status !== 200) throw new Error(`an order could not be read back: ${probe.status}`);
        await sleep(500);
        ({ rss: rssAtRestMb, peak: peakRssMb } = memoryMb(app.child.pid));
      } finally {
        await app.child.stop();
      }

      // Finding due jobs, with the bot stopped so nothing else claims them.
      const dueAt = sqliteDate(new Date(Date.now() - 60_000));
      seed.sqlite
        .prepare(
          `UPDATE "Job" SET "dueAt" = ?, "status" = 'pending' WHERE "id" IN (SELECT "id" FROM "Job" ` +
            `WHERE "id" LIKE ? ORDER BY "id" LIMIT ${DUE})`,
        )
        .run(dueAt, `j-${run}-%`);
      const timings = await timeDueJobQueries(databaseUrl, seed);
      seed.sqlite
        .prepare(`UPDATE "Job" SET "dueAt" = ? WHERE "dueAt" <= ? AND "id" LIKE ?`)
        .run(sqliteDate(new Date(Date.now() + 86_400_000)), sqliteDate(new Date()), `j-${run}-%`);

      const level: ScaleLevel = {
        jobs: target,
        waitingOrders: orders,
        databaseMb: round(databaseMb),
        seedSeconds: round(seedSeconds),
        startupMs: round(app.startupMs, 0),
        rssAtRestMb: round(rssAtRestMb),
        peakRssMb: round(peakRssMb),
        ...timings,
      };
      levels.push(level);
      log(
        `  ${target} jobs / ${orders} orders: start-up ${level.startupMs} ms, RSS ${level.rssAtRestMb} MB (peak ${level.peakRssMb}); ` +
          `claim query p50 ${level.claimQuery.p50} ms, runner pass p50 ${level.runnerPass.p50} ms, index query p50 ` +
          `${level.indexQuery.p50} ms`,
      );
    }
  } finally {
    seed.close();
    await standin.child.stop();
  }
  return { database: "sqlite", levels };
}

async function timeDueJobQueries(
  databaseUrl: string,
  seed: Awaited<ReturnType<typeof openSeedDatabase>>,
): Promise<Pick<ScaleLevel, "claimQuery" | "runnerPass" | "indexQuery" | "indexQueryPlan">> {
  const repetitions = 30;
  const db = await createPrismaClient(databaseUrl);
  try {
    // Warm up the client (the first query compiles and connects).
    await db.job.count();
    const claimQuery: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      const now = new Date();
      const started = performance.now();
      // The same SELECT as claim() in src/scheduler/job-runner.ts.
      const due = await db.job.findMany({
        where: {
          kind: { in: [...KINDS] },
          OR: [
            { status: "pending", dueAt: { lte: now } },
            { status: "running", OR: [{ leasedUntil: { lt: now } }, { leasedUntil: null }] },
          ],
        },
        orderBy: [{ dueAt: "asc" }, { id: "asc" }],
        take: 50,
        select: { id: true },
      });
      claimQuery.push(performance.now() - started);
      if (due.length !== 50) throw new Error(`the claim query found ${due.length} due jobs, expected 50`);
    }

    // The runner's own pass; handlers put each job back as it was ("not yet", due when it was),
    // so every pass finds the same due jobs again.
    const handlers: Record<string, JobHandler> = Object.fromEntries(
      KINDS.map((kind) => [kind, async (job) => ({ type: "retry", reason: "bench", at: job.dueAt })]),
    );
    const runner = createJobRunner({ db, clock: systemClock, logger: createLogger({ level: "silent" }), handlers });
    const runnerPass: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      const started = performance.now();
      const ran = await runner.runOnce();
      runnerPass.push(performance.now() - started);
      if (ran !== 50) throw new Error(`a runner pass ran ${ran} jobs, expected 50`);
    }

    const sql = `SELECT "id" FROM "Job" WHERE "status" = 'pending' AND "dueAt" <= ? ORDER BY "dueAt" LIMIT 50`;
    const statement = seed.sqlite.prepare(sql);
    const indexQuery: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      const started = performance.now();
      statement.all(sqliteDate(new Date()));
      indexQuery.push(performance.now() - started);
    }
    const plan = (seed.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(sqliteDate(new Date())) as Array<{ detail: string }>)
      .map((row) => row.detail)
      .join("; ");
    return {
      claimQuery: distribution(claimQuery),
      runnerPass: distribution(runnerPass),
      indexQuery: distribution(indexQuery),
      indexQueryPlan: plan,
    };
  } finally {
    await db.$disconnect();
  }
}
