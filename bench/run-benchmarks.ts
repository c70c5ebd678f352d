// `npm run bench` (full) and `npm run bench -- --quick` (about a minute): runs the benchmarks,
// prints a table, writes bench/results/latest.json and latest.md. docs/benchmarks.md explains them.
//
//   --quick               smaller sizes
//   --only a,b            only these: dialog, outbound, scale, webhook
//   --databases a,b       dialog benchmark databases (default sqlite,postgresql; --quick: sqlite)
//   --levels 1,50         dialog benchmark: numbers of concurrent customers (instead of the defaults)
//   --profile             ordergram runs with --cpu-prof; profiles land in bench/results/profiles
//   --out <dir>           where results go (default bench/results)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { runDialogBenchmark, type DialogResult } from "./dialog-benchmark.js";
import { startBenchPostgres, type BenchPostgres } from "./lib/environment.js";
import { describeMachine } from "./lib/machine.js";
import { stopAll } from "./lib/processes.js";
import { evaluateTargets, renderMarkdown, type BenchResults } from "./lib/report.js";
import { runOutboundBenchmark, type OutboundResult } from "./outbound-benchmark.js";
import { runScaleBenchmark, type ScaleResult } from "./scale-benchmark.js";
import { runWebhookBenchmark, type WebhookResult } from "./webhook-benchmark.js";

const BENCHMARKS = ["dialog", "outbound", "scale", "webhook"] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    databases: { type: "string" },
    levels: { type: "string" },
    profile: { type: "boolean", default: false },
    out: { type: "string", default: path.join(import.meta.dirname, "results") },
  },
  strict: true,
});

const only = values.only ? values.only.split(",").map((name) => name.trim()) : [...BENCHMARKS];
for (const name of only)
  if (!BENCHMARKS.includes(name as BenchmarkName)) throw new Error(`--only: unknown benchmark "${name}" (${BENCHMARKS.join(", ")})`);
const selected = (name: BenchmarkName) => only.includes(name);
const databases = (values.databases ?? (values.quick ? "sqlite" : "sqlite,postgresql")).split(",").map((name) => name.trim()) as Array<
  "sqlite" | "postgresql"
>;
for (const name of databases)
  if (name !== "sqlite" && name !== "postgresql") throw new Error(`--databases: sqlite or postgresql, not "${String(name)}"`);

const quick = values.quick;
const outDir = path.resolve(values.out);
const logDir = path.join(outDir, "logs");
mkdirSync(logDir, { recursive: true });
const workDir = mkdtempSync(path.join(os.tmpdir(), "ordergram-bench-"));
const profileDir = values.profile ? path.join(outDir, "profiles") : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const log = (line: string) => process.stdout.write(`${line}\n`);

const results: BenchResults = {
  mode: quick ? "quick" : "full",
  startedAt: new Date().toISOString(),
  finishedAt: "",
  machine: describeMachine(),
  benchmarks: {},
  load: {},
  errors: {},
  targets: [],
};
log(
  `ordergram benchmarks (${results.mode}) on ${results.machine.cores} × ${results.machine.cpuModel}, ${results.machine.memoryGb} GB, ` +
    `Node ${results.machine.node}`,
);

let postgres: BenchPostgres | null = null;
/** Runs one benchmark; a failure is recorded and the next one still runs. */
async function attempt<T>(name: BenchmarkName, run: () => Promise<T>, store: (result: T) => void): Promise<void> {
  if (!selected(name)) return;
  log(`\n# ${name}`);
  const started = performance.now();
  const loadBefore = os.loadavg()[0]!;
  try {
    store(await run());
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    results.errors[name] = message.split("\n").slice(0, 6).join("\n");
    log(`  FAILED: ${message}`);
  } finally {
    await stopAll();
    results.load[name] = { before: Math.round(loadBefore * 100) / 100, after: Math.round(os.loadavg()[0]! * 100) / 100 };
    log(`  (${Math.round((performance.now() - started) / 100) / 10} s)`);
  }
}

try {
  await attempt(
    "dialog",
    async () => {
      if (databases.includes("postgresql")) postgres = await startBenchPostgres();
      return runDialogBenchmark({
        levels: values.levels ? values.levels.split(",").map(Number) : quick ? [50] : [50, 200, 1000],
        // 200 customers in a dialog at once, each reading 3-8 s before a step (quick: 50, 2-4 s).
        pacedLevels: values.levels ? [] : quick ? [50] : [200],
        think: quick ? [2_000, 4_000] : [3_000, 8_000],
        databases,
        postgres,
        workDir,
        logDir,
        log,
        ...(profileDir ? { cpuProfileDir: profileDir } : {}),
      });
    },
    (result: DialogResult) => (results.benchmarks.dialog = result),
  );
  await attempt(
    "outbound",
    () => runOutboundBenchmark({ notifications: quick ? 300 : 2000, workDir, logDir, log }),
    (result: OutboundResult) => (results.benchmarks.outbound = result),
  );
  await attempt(
    "scale",
    () => runScaleBenchmark({ jobLevels: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000], workDir, logDir, log }),
    (result: ScaleResult) => (results.benchmarks.scale = result),
  );
  await attempt(
    "webhook",
    () => runWebhookBenchmark({ updates: quick ? 300 : 5000, concurrency: 32, workDir, logDir, log }),
    (result: WebhookResult) => (results.benchmarks.webhook = result),
  );
} finally {
  await stopAll();
  await (postgres as BenchPostgres | null)?.cluster.stop();
  rmSync(workDir, { recursive: true, force: true });
}

results.finishedAt = new Date().toISOString();
results.targets = evaluateTargets(results);
const markdown = renderMarkdown(results);
writeFileSync(path.join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(outDir, "latest.md"), markdown);
log(`\n${markdown}`);
log(
  `Written: ${path.relative(process.cwd(), path.join(outDir, "latest.json"))}, ` +
    `${path.relative(process.cwd(), path.join(outDir, "latest.md"))}`,
);
process.exit(Object.keys(results.errors).length > 0 ? 1 : 0);
