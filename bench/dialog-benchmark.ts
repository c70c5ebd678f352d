// Benchmark 1: N customers at once, each through the whole order dialog (the shop's API call, the
// start link, the read-back, a substitute, courier, day, window, typed address, Confirm), against
// ordergram in its own process with the stand-in in another; a bare grammY echo bot on the same
// stand-in with the same number of customers and steps gives the ceiling.
import path from "node:path";
import {
  botToken,
  benchConfigYaml,
  startOrdergram,
  startStandinProcess,
  startWebhookSink,
  type BenchPostgres,
  type StandinProcess,
} from "./lib/environment.js";
import { ResourceMeter, round, spawnTs, type Child } from "./lib/processes.js";
import { distribution, withConcurrency, type Distribution } from "./lib/stats.js";

export const DIALOG_STEPS = ["open link", "substitute", "courier", "day", "window", "address", "confirm"] as const;

export interface DialogLevel {
  bot: "echo" | "ordergram";
  database: "none" | "sqlite" | "postgresql";
  customers: number;
  /**
   * null: every customer taps again the moment the bot has answered (flat out: throughput).
   * [min, max]: a customer reads for a random time in this range (ms) before each step, as people
   * do (latency at a realistic pace).
   */
  thinkMs: [number, number] | null;
  completed: number;
  failed: number;
  firstErrors: string[];
  wallSeconds: number;
  dialogsPerSecond: number;
  stepsPerSecond: number;
  /** stepsPerSecond / the echo bot's at the same number of customers. */
  ratioToEcho: number | null;
  /** Update delivered (getUpdates answer) -> the bot's visible answer arriving at the stand-in (ms). */
  stepLatency: Distribution;
  /**
   * What the customer waits: their message or tap sent -> the answer seen (ms), through the
   * stand-in's control API. Includes any time the update waited before the bot fetched it.
   */
  customerWait: Distribution;
  perStep: Record<string, Distribution>;
  /** Update delivered -> the bot's first call about the chat (often answerCallbackQuery) (ms). */
  firstCallLatency: Distribution;
  /** POST /api/v1/orders as the shop saw it (ms). */
  createOrder: Distribution | null;
  resources: Record<string, { cpuSeconds: number; cpuCores: number; peakRssMb: number }>;
}

export interface DialogResult {
  levels: DialogLevel[];
}

interface Act {
  ok: boolean;
  error?: string;
  message?: { text?: string; buttons: string[] };
  tap?: { answered: boolean; text?: string };
}

const teaOutOfStock = [
  {
    sku: "TEA-1",
    name: "Green tea",
    quantity: 2,
    unitPrice: "4.50",
    available: 0,
    substitutes: [
      { sku: "JAS-2", name: "Jasmine tea", unitPrice: "5.00" },
      { sku: "MAT-9", name: "Matcha", unitPrice: "9.00" },
    ],
  },
  { sku: "CUP-7", name: "Clay cup", quantity: 1, unitPrice: "12.90" },
];

export async function runDialogBenchmark(options: {
  levels: number[];
  /** Numbers of customers who take their time between steps (`think`), for the latency target. */
  pacedLevels: number[];
  think: [number, number];
  databases: Array<"sqlite" | "postgresql">;
  postgres: BenchPostgres | null;
  workDir: string;
  logDir: string;
  log: (line: string) => void;
  cpuProfileDir?: string;
}): Promise<DialogResult> {
  const { log } = options;
  const standin = await startStandinProcess({ floodLimits: false, logFile: path.join(options.logDir, "dialog-standin.log") });
  const sink = await startWebhookSink();
  const levels: DialogLevel[] = [];
  let users = 0;
  const newCustomers = async (token: string, count: number): Promise<number[]> =>
    withConcurrency(count, 32, async () => {
      const n = ++users;
      const { id } = await standin.control<{ id: number }>("POST", "/users", { firstName: `Customer${n}`, languageCode: "en", bot: token });
      return id;
    });
  try {
    // The ceiling first: the echo bot alone on the stand-in.
    const echoToken = botToken(1);
    await standin.control("POST", "/bots", { token: echoToken, username: "echo_bench_bot", firstName: "Echo" });
    const { child: echo } = await spawnTs("echo bot", path.join(import.meta.dirname, "processes/echo-bot.ts"), {
      env: { BOT_TOKEN: echoToken, API_ROOT: standin.apiUrl },
      firstLineJson: true,
      logFile: path.join(options.logDir, "dialog-echo.log"),
    });
    const echoRates = new Map<number, number>();
    try {
      for (const count of options.levels) {
        const ids = await newCustomers(echoToken, count);
        const level = await runLevel({
          standin,
          bot: echo,
          ids,
          database: "none",
          log,
          thinkMs: null,
          run: (id) => echoDialog(standin, id),
        });
        echoRates.set(count, level.stepsPerSecond);
        levels.push(level);
        log(describe(level));
      }
    } finally {
      await echo.stop();
    }

    for (const [index, database] of options.databases.entries()) {
      const token = botToken(10 + index);
      const bot = await standin.control<{ bot: { username: string } }>("POST", "/bots", {
        token,
        username: `shop_bench_${database}_bot`,
        firstName: "Demo Shop",
      });
      void bot;
      const databaseUrl =
        database === "sqlite"
          ? `file:${path.join(options.workDir, "dialog.db")}`
          : await options.postgres!.createDatabase(`bench_dialog_${Date.now()}`);
      const app = await startOrdergram({
        token,
        apiRoot: standin.apiUrl,
        databaseUrl,
        workDir: options.workDir,
        configYaml: benchConfigYaml(),
        webhookUrl: sink.url,
        logFile: path.join(options.logDir, `dialog-ordergram-${database}.log`),
        ...(options.cpuProfileDir ? { nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] } : {}),
      });
      try {
        // Flat out first (throughput, compared with the echo bot), then at a person's pace.
        const ordergramLevel = async (count: number, think: [number, number] | null, firstExternalNumber: number) => {
          const ids = await newCustomers(token, count);
          const createTimes: number[] = [];
          const level = await runLevel({
            standin,
            bot: app.child,
            ids,
            database,
            log,
            thinkMs: think,
            postgres: database === "postgresql" ? options.postgres : null,
            run: (id, n) => ordergramDialog(standin, app, id, n + firstExternalNumber, createTimes, think),
          });
          level.createOrder = distribution(createTimes);
          return level;
        };
        for (const count of options.levels) {
          const level = await ordergramLevel(count, null, 0);
          const echoRate = echoRates.get(count);
          level.ratioToEcho = echoRate ? round(level.stepsPerSecond / echoRate, 3) : null;
          levels.push(level);
          log(describe(level));
        }
        for (const count of options.pacedLevels) {
          const level = await ordergramLevel(count, options.think, 1_000_000);
          levels.push(level);
          log(describe(level));
        }
      } finally {
        await app.child.stop();
      }
    }
  } finally {
    await sink.close();
    await standin.child.stop();
  }
  return { levels };
}

function describe(level: DialogLevel): string {
  return (
    `  dialog ${level.bot}${level.database === "none" ? "" : `/${level.database}`} ` +
    `x${level.customers}${level.thinkMs ? ` (reading ${level.thinkMs[0] / 1000}-${level.thinkMs[1] / 1000} s between steps)` : ""}: ` +
    `${level.completed} done, ${level.failed} failed in ${level.wallSeconds} s; ${level.stepsPerSecond} steps/s` +
    `${level.ratioToEcho !== null ? ` (${Math.round(level.ratioToEcho * 100)} % of echo)` : ""}; ` +
    `step p50/p95/p99 ${level.stepLatency.p50}/${level.stepLatency.p95}/${level.stepLatency.p99} ms`
  );
}

async function runLevel(input: {
  standin: StandinProcess;
  bot: Child;
  ids: number[];
  database: DialogLevel["database"];
  log: (line: string) => void;
  thinkMs: DialogLevel["thinkMs"];
  postgres?: BenchPostgres | null;
  run: (id: number, n: number) => Promise<void>;
}): Promise<DialogLevel> {
  const { standin, ids } = input;
  await standin.control("POST", "/clear");
  const meter = new ResourceMeter([input.bot, standin.child]);
  const pgCpuBefore = input.postgres?.cpuSeconds();
  const runnerCpuBefore = process.cpuUsage();
  const started = performance.now();
  const errors: string[] = [];
  let completed = 0;
  customerWaits = [];
  await Promise.all(
    ids.map((id, n) =>
      input.run(id, n).then(
        () => void completed++,
        (error: unknown) => void errors.push(describeError(error)),
      ),
    ),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const resources = meter.finish();
  const runnerCpu = process.cpuUsage(runnerCpuBefore);
  const runnerSeconds = (runnerCpu.user + runnerCpu.system) / 1e6;
  // The benchmark's own process plays the shop and every customer: its CPU is part of the ceiling.
  resources["bench runner"] = { cpuSeconds: round(runnerSeconds, 2), cpuCores: round(runnerSeconds / wallSeconds, 2), peakRssMb: NaN };
  if (input.postgres && pgCpuBefore !== undefined) {
    // Backends that exited during the phase take their CPU time with them: a lower bound.
    const used = Math.max(0, input.postgres.cpuSeconds() - pgCpuBefore);
    resources.postgresql = { cpuSeconds: round(used, 2), cpuCores: round(used / wallSeconds, 2), peakRssMb: NaN };
  }

  const { timings } = await standin.control<{
    timings: Array<{ chatId: number; deliveredAt: number; firstCall?: { at: number }; answer?: { at: number } }>;
  }>("GET", "/timings");
  const ours = new Set(ids);
  const byChat = new Map<number, typeof timings>();
  for (const timing of timings) {
    if (!ours.has(timing.chatId)) continue;
    byChat.set(timing.chatId, [...(byChat.get(timing.chatId) ?? []), timing]);
  }
  const all: number[] = [];
  const first: number[] = [];
  const perStep = new Map<string, number[]>(DIALOG_STEPS.map((step) => [step, []]));
  for (const chat of byChat.values()) {
    chat.sort((a, b) => a.deliveredAt - b.deliveredAt);
    chat.forEach((timing, index) => {
      if (timing.firstCall) first.push(timing.firstCall.at - timing.deliveredAt);
      if (!timing.answer) return;
      const ms = timing.answer.at - timing.deliveredAt;
      all.push(ms);
      perStep.get(DIALOG_STEPS[index] ?? "other")?.push(ms);
    });
  }
  const steps = completed * DIALOG_STEPS.length;
  return {
    bot: input.database === "none" ? "echo" : "ordergram",
    database: input.database,
    customers: ids.length,
    thinkMs: input.thinkMs,
    completed,
    failed: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 5),
    wallSeconds: round(wallSeconds, 2),
    dialogsPerSecond: round(completed / wallSeconds, 1),
    stepsPerSecond: round(steps / wallSeconds, 1),
    ratioToEcho: null,
    stepLatency: distribution(all),
    customerWait: distribution(customerWaits),
    perStep: Object.fromEntries([...perStep].map(([step, values]) => [step, distribution(values)])),
    firstCallLatency: distribution(first),
    createOrder: null,
    resources,
  };
}

/** The first line of an error and of its cause ("fetch failed" alone does not say what failed). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${(error.cause as Error & { code?: string }).code ?? ""} ${error.cause.message}` : "";
  return `${error.message.split("\n")[0]!}${cause}`;
}

const STEP_TIMEOUT_MS = 120_000;

/** The waits of the level being run (levels run one after another). */
let customerWaits: number[] = [];

async function act(standin: StandinProcess, id: number, body: Record<string, unknown>, what: string): Promise<Act> {
  const started = performance.now();
  const result = await actOnce(standin, id, body, what);
  customerWaits.push(performance.now() - started);
  return result;
}

async function actOnce(standin: StandinProcess, id: number, body: Record<string, unknown>, what: string): Promise<Act> {
  const response = await fetch(`${standin.controlUrl}/users/${id}/act`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ timeoutMs: STEP_TIMEOUT_MS, ...body }),
  }).catch((error: unknown) => {
    throw new Error(`${what}: the stand-in's control API: ${describeError(error)}`);
  });
  const result = (await response.json()) as Act;
  if (!result.ok) throw new Error(`${what}: ${result.error}`);
  if (result.tap && !result.tap.answered) throw new Error(`${what}: the tap was not answered`);
  return result;
}

/** The same shape of dialog against the echo bot: two texts and five taps. */
async function echoDialog(standin: StandinProcess, id: number): Promise<void> {
  await act(standin, id, { text: "/start" }, "echo start");
  for (let i = 0; i < 4; i++) await act(standin, id, { tap: "Next" }, "echo tap");
  await act(standin, id, { text: "Ring 5, 50667 Köln" }, "echo text");
  await act(standin, id, { tap: "Next" }, "echo tap");
}

async function ordergramDialog(
  standin: StandinProcess,
  app: { api(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> },
  id: number,
  n: number,
  createTimes: number[],
  think: [number, number] | null,
): Promise<void> {
  // A person reads before each step; the first one is spread too, so they do not all start at once.
  const read = () =>
    think ? new Promise((resolve) => setTimeout(resolve, think[0] + Math.random() * (think[1] - think[0]))) : Promise.resolve();
  await read();
  const sent = performance.now();
  const order = {
    externalId: `BENCH-${id}-${n}`,
    customer: { name: `Customer ${id}`, phone: `+49 170 ${String(id).slice(-7).padStart(7, "0")}`, language: "en" },
    currency: "EUR",
    items: teaOutOfStock,
  };
  // As a shop's client should: a 503 (busy) is retried after its Retry-After; the time counts.
  const post = () =>
    app.api("POST", "/orders", order).catch((error: unknown) => {
      throw new Error(`create order: ordergram's API: ${describeError(error)}`);
    });
  let created = await post();
  for (let retry = 0; created.status === 503 && retry < 60; retry++) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    created = await post();
  }
  createTimes.push(performance.now() - sent);
  if (created.status !== 201) throw new Error(`order not created: ${created.status} ${JSON.stringify(created.body).slice(0, 200)}`);
  const token = new URL(created.body.startLink as string).searchParams.get("start");

  await act(standin, id, { text: `/start ${token}`, until: { button: "Take Jasmine tea" } }, "read-back");
  await read();
  const methods = await act(
    standin,
    id,
    { tap: "Take Jasmine tea", until: { text: "How would you like to receive your order?" } },
    "substitute",
  );
  const courier = methods.message!.buttons.find((text) => text.startsWith("🚚"));
  if (!courier) throw new Error(`no courier button: ${methods.message!.buttons.join(", ")}`);
  await read();
  const days = await act(standin, id, { tap: courier, until: { text: "Which day suits you for the courier?" } }, "courier");
  const day = days.message!.buttons.find((text) => !text.startsWith("«"));
  if (!day) throw new Error("no day offered");
  await read();
  await act(standin, id, { tap: day, until: { text: "At what time on" } }, "day");
  await read();
  await act(standin, id, { tap: "14:00-18:00", until: { text: "Where should we deliver?" } }, "window");
  await read();
  await act(standin, id, { text: "Ring 5, 50667 Köln", until: { text: "Is everything correct?" } }, "address");
  await read();
  await act(standin, id, { tap: "✅ Confirm", until: { text: "Confirmed." } }, "confirm");
}
