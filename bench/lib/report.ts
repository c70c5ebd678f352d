// The results of a run: the targets each judged pass/fail (a miss is shown, never hidden), and
// the readable table printed on stdout and written to bench/results/latest.md.
import { DIALOG_STEPS, type DialogLevel, type DialogResult } from "../dialog-benchmark.js";
import type { OutboundResult } from "../outbound-benchmark.js";
import type { ScaleResult } from "../scale-benchmark.js";
import type { WebhookResult } from "../webhook-benchmark.js";
import type { Machine } from "./machine.js";

export interface TargetResult {
  target: string;
  measured: string;
  /** null: not measured in this run (benchmark not selected, or it failed). */
  pass: boolean | null;
  /** Under what conditions it was measured, when they differ from the target's. */
  note?: string;
}

export interface BenchResults {
  mode: "quick" | "full";
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  benchmarks: { dialog?: DialogResult; outbound?: OutboundResult; scale?: ScaleResult; webhook?: WebhookResult };
  /** 1-minute load average before and after each benchmark: other work on the machine skews figures. */
  load: Record<string, { before: number; after: number }>;
  /** Benchmarks that failed to run, with the first lines of the error. */
  errors: Record<string, string>;
  targets: TargetResult[];
}

const pct = (value: number) => `${Math.round(value * 1000) / 10} %`;

export function evaluateTargets(results: BenchResults): TargetResult[] {
  const targets: TargetResult[] = [];
  const { dialog, outbound, scale } = results.benchmarks;

  const ours = dialog?.levels.filter((level) => level.bot === "ordergram") ?? [];
  for (const database of ["sqlite", "postgresql"] as const) {
    const levels = ours.filter((level) => level.database === database && level.ratioToEcho !== null);
    if (levels.length === 0) continue;
    const worst = levels.reduce((a, b) => (a.ratioToEcho! <= b.ratioToEcho! ? a : b));
    targets.push({
      target: `dialog steps/s ≥ 25 % of the echo ceiling (${database})`,
      measured: levels.map((level) => `${pct(level.ratioToEcho!)} at ${level.customers}`).join(", "),
      pass: worst.ratioToEcho! >= 0.25,
    });
  }
  // Latency is judged with customers who read before they tap, as people do: with every
  // customer tapping again the instant the bot answers, any bot's latency is just its queue
  // (the echo bot's own p99 is hundreds of ms there). The flat-out levels measure throughput.
  const sqlite = ours.filter((level) => level.database === "sqlite");
  const paced = sqlite.filter((level) => level.thinkMs !== null);
  const at200 = paced.find((level) => level.customers === 200) ?? paced.at(-1);
  targets.push(
    at200
      ? {
          target: "step latency p99 < 50 ms at 200 concurrent customers (SQLite)",
          measured:
            `p99 ${at200.stepLatency.p99} ms (p50 ${at200.stepLatency.p50} ms) at ${at200.customers}, reading ` +
            `${at200.thinkMs![0] / 1000}-${at200.thinkMs![1] / 1000} s before each step`,
          pass: at200.stepLatency.p99 < 50,
          ...(at200.customers !== 200 ? { note: `measured at ${at200.customers} customers (${results.mode} run)` } : {}),
        }
      : { target: "step latency p99 < 50 ms at 200 concurrent customers (SQLite)", measured: "not measured", pass: null },
  );
  targets.push(
    outbound
      ? {
          target: "outbound ≥ 95 % of the global limit (30/s) with zero 429s",
          measured:
            `${pct(outbound.fractionOfGlobalLimit)} (${outbound.messagesPerSecond}/s), ${outbound.tooManyRequests} × 429, ` +
            `${outbound.delivered}/${outbound.notifications} sent`,
          pass: outbound.fractionOfGlobalLimit >= 0.95 && outbound.tooManyRequests === 0 && outbound.delivered === outbound.notifications,
          ...(outbound.notifications !== 2000 ? { note: `${outbound.notifications} notifications (${results.mode} run)` } : {}),
        }
      : { target: "outbound ≥ 95 % of the global limit (30/s) with zero 429s", measured: "not measured", pass: null },
  );
  const largest = scale?.levels.at(-1);
  targets.push(
    largest
      ? {
          target: "RSS < 200 MB with 100k waiting orders",
          measured: `${largest.rssAtRestMb} MB at rest (peak ${largest.peakRssMb} MB) with ${largest.waitingOrders} orders`,
          pass: largest.rssAtRestMb < 200,
          ...(largest.waitingOrders !== 100_000 ? { note: `measured with ${largest.waitingOrders} orders (${results.mode} run)` } : {}),
        }
      : { target: "RSS < 200 MB with 100k waiting orders", measured: "not measured", pass: null },
  );
  targets.push(
    largest
      ? {
          target: "start-up < 2 s with 1M jobs",
          measured: `${largest.startupMs} ms with ${largest.jobs} jobs`,
          pass: largest.startupMs < 2000,
          ...(largest.jobs !== 1_000_000 ? { note: `measured with ${largest.jobs} jobs (${results.mode} run)` } : {}),
        }
      : { target: "start-up < 2 s with 1M jobs", measured: "not measured", pass: null },
  );
  return targets;
}

const table = (header: string[], rows: Array<Array<string | number>>): string =>
  [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");

const cpu = (level: { resources: DialogLevel["resources"] }, name: string) => {
  const r = level.resources[name];
  return r ? `${r.cpuCores}` : "-";
};

/** The bot's CPU time per completed step (the order's API call counted in ordergram's). */
const cpuPerStep = (level: DialogLevel): string => {
  const used = level.resources[level.bot === "echo" ? "echo bot" : "ordergram"]?.cpuSeconds;
  const steps = level.completed * DIALOG_STEPS.length;
  return used === undefined || steps === 0 ? "-" : String(Math.round((used * 10_000) / steps) / 10);
};

export function renderMarkdown(results: BenchResults): string {
  const { machine, benchmarks } = results;
  const out: string[] = [];
  out.push(`# ordergram benchmark results (${results.mode})`, "");
  out.push(`${results.startedAt} → ${results.finishedAt}  `);
  out.push(
    `Machine: ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGb} GB RAM, Node ${machine.node}, ${machine.platform} ` +
      `${machine.kernel}  `,
  );
  out.push(
    `Load average (1 min) before → after each benchmark: ${Object.entries(results.load)
      .map(([name, load]) => `${name} ${load.before} → ${load.after}`)
      .join(", ")} (anything above the ${machine.cores} cores means other work shared the CPU)`,
    "",
  );

  out.push("## Targets", "");
  out.push(
    table(
      ["target", "measured", "result"],
      results.targets.map((t) => [
        t.target,
        `${t.measured}${t.note ? ` (${t.note})` : ""}`,
        t.pass === null ? "not measured" : t.pass ? "PASS" : "**FAIL**",
      ]),
    ),
    "",
  );

  if (benchmarks.dialog) {
    out.push("## 1. Dialog throughput and latency", "");
    out.push(
      "Latency: update delivered to the bot (getUpdates answer) → the bot's visible answer (message sent or edited) arriving at the " +
        "stand-in. CPU in cores (1.0 = one core busy for the whole phase). Levels with a reading time: each customer waits that long " +
        "before each step, as people do; the others tap again the moment the bot has answered (throughput).",
      "",
    );
    out.push(
      table(
        [
          "bot",
          "customers",
          "done / failed",
          "wall s",
          "dialogs/s",
          "steps/s",
          "% of echo",
          "step p50 / p95 / p99 ms",
          "customer wait p50 / p99 ms",
          "1st call p50 ms",
          "create order p50 / p99 ms",
          "bot CPU",
          "bot CPU ms/step",
          "bot peak RSS MB",
          "stand-in CPU",
          "runner CPU",
          "PostgreSQL CPU",
        ],
        benchmarks.dialog.levels.map((l) => [
          l.bot === "echo" ? "echo (ceiling)" : `ordergram / ${l.database}`,
          l.thinkMs ? `${l.customers}, reading ${l.thinkMs[0] / 1000}-${l.thinkMs[1] / 1000} s` : l.customers,
          `${l.completed} / ${l.failed}`,
          l.wallSeconds,
          l.dialogsPerSecond,
          l.stepsPerSecond,
          l.ratioToEcho === null ? "-" : pct(l.ratioToEcho),
          `${l.stepLatency.p50} / ${l.stepLatency.p95} / ${l.stepLatency.p99}`,
          l.customerWait ? `${l.customerWait.p50} / ${l.customerWait.p99}` : "-",
          l.firstCallLatency.p50,
          l.createOrder ? `${l.createOrder.p50} / ${l.createOrder.p99}` : "-",
          cpu(l, l.bot === "echo" ? "echo bot" : "ordergram"),
          cpuPerStep(l),
          l.resources[l.bot === "echo" ? "echo bot" : "ordergram"]?.peakRssMb ?? "-",
          cpu(l, "stand-in"),
          cpu(l, "bench runner"),
          cpu(l, "postgresql"),
        ]),
      ),
      "",
    );
    const ours = benchmarks.dialog.levels.filter((l) => l.bot === "ordergram");
    if (ours.length > 0) {
      out.push("Per step, p50 / p99 ms:", "");
      out.push(
        table(
          ["database", "customers", ...DIALOG_STEPS],
          ours.map((l) => [
            l.database,
            l.customers,
            ...DIALOG_STEPS.map((step) => `${l.perStep[step]?.p50 ?? "-"} / ${l.perStep[step]?.p99 ?? "-"}`),
          ]),
        ),
        "",
      );
    }
    const failures = benchmarks.dialog.levels.flatMap((l) => l.firstErrors.map((e) => `- ${l.bot}/${l.database} × ${l.customers}: ${e}`));
    if (failures.length > 0) out.push("Failed dialogs (first errors):", "", ...failures, "");
  }

  if (benchmarks.outbound) {
    const o = benchmarks.outbound;
    out.push("## 2. Outbound at Telegram's limits", "");
    out.push(`Path: ${o.path}.`, "");
    out.push(
      table(
        [
          "notifications",
          "sent",
          "msg/s",
          "of 30/s",
          "429s",
          "lateness p50 / p99 ms",
          "least possible p50 / p99 ms",
          "excess p50 / p99 ms",
          "first after ms",
          "bot CPU",
          "bot peak RSS MB",
        ],
        [
          [
            o.notifications,
            o.delivered,
            o.messagesPerSecond,
            pct(o.fractionOfGlobalLimit),
            o.tooManyRequests,
            `${o.lateness.p50} / ${o.lateness.p99}`,
            `${o.idealLateness.p50} / ${o.idealLateness.p99}`,
            `${o.excessLateness.p50} / ${o.excessLateness.p99}`,
            o.firstMessageAfterMs,
            o.resources.ordergram?.cpuCores ?? "-",
            o.resources.ordergram?.peakRssMb ?? "-",
          ],
        ],
      ),
      "",
    );
  }

  if (benchmarks.scale) {
    out.push("## 3. Scale at rest (SQLite)", "");
    out.push(
      table(
        [
          "jobs",
          "waiting orders",
          "DB MB",
          "start-up ms",
          "RSS at rest MB",
          "peak RSS MB",
          "claim query p50 / p99 ms",
          "runner pass p50 / p99 ms",
          "index query p50 / p99 ms",
        ],
        benchmarks.scale.levels.map((l) => [
          l.jobs.toLocaleString("en"),
          l.waitingOrders.toLocaleString("en"),
          l.databaseMb,
          l.startupMs,
          l.rssAtRestMb,
          l.peakRssMb,
          `${l.claimQuery.p50} / ${l.claimQuery.p99}`,
          `${l.runnerPass.p50} / ${l.runnerPass.p99}`,
          `${l.indexQuery.p50} / ${l.indexQuery.p99}`,
        ]),
      ),
      "",
    );
    const plan = benchmarks.scale.levels.at(-1)?.indexQueryPlan;
    if (plan) out.push(`Index query plan: \`${plan}\``, "");
  }

  if (benchmarks.webhook) {
    const w = benchmarks.webhook;
    out.push("## 4. Webhook mode", "");
    out.push(
      table(
        [
          "updates",
          "people",
          "concurrency",
          "ok / failed",
          "updates/s",
          "POST p50 / p95 / p99 ms",
          "wrong secret",
          "bot CPU",
          "bot peak RSS MB",
        ],
        [
          [
            w.updates,
            w.people,
            w.concurrency,
            `${w.ok} / ${w.failed}`,
            w.updatesPerSecond,
            `${w.post.p50} / ${w.post.p95} / ${w.post.p99}`,
            w.wrongSecretStatus,
            w.resources.ordergram?.cpuCores ?? "-",
            w.resources.ordergram?.peakRssMb ?? "-",
          ],
        ],
      ),
      "",
    );
  }

  const errors = Object.entries(results.errors);
  if (errors.length > 0) {
    out.push("## Benchmarks that failed to run", "");
    for (const [name, error] of errors) out.push(`- ${name}: \`${error.split("\n")[0]}\``);
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
