// `npm run chaos`: the fault-injection suite of docs/crashes.md. On SQLite and on PostgreSQL,
// ordergram runs as a child process against the Telegram stand-in and a shop webhook receiver
// while customers order (shop API), get the read-back and tap Confirm, and the process is killed
// with SIGKILL in bursts and restarted. Then it prints, per kind (read-backs, tap replies,
// webhooks), sent / received / lost / duplicated, and fails when anything was lost or duplicated
// outside the outbox's at-least-once window (chaos-ledger.ts).
//
//   npm run chaos                        3 minutes of kills per database (local)
//   npm run chaos -- --budget 40         40 s per database (CI)
//   --databases sqlite,postgresql        which ones (PostgreSQL: TEST_DATABASE_URL, or a throw-away
//                                        cluster from the local server binaries)
//   --customers 8                        customers ordering at once
//   --lease-seconds N                    ORDERGRAM_LEASE_SECONDS for the app (default: the app's)
//   --fail-on read-backs,webhooks        fail only on these kinds; the others are reported
//   --report <file>                      also write the results as JSON (for .ci/run)
//
// A script run with tsx, not a vitest file: it is one long process-level run with its own time
// budget, kill schedule and report, it must not run inside `npm test` (two cores, shared), and
// its exit code is the verdict. The restart tests in test/app/ cover the same windows one by one.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { withPostgresServer } from "../../scripts/lib/postgres-server.js";
import { failingKinds, KINDS, renderTable, type Kind } from "./chaos-ledger.js";
import { runChaosScenario, type ScenarioResult } from "./chaos-scenario.js";

const { values } = parseArgs({
  options: {
    budget: { type: "string", default: "180" },
    databases: { type: "string", default: "sqlite,postgresql" },
    customers: { type: "string", default: "8" },
    "lease-seconds": { type: "string" },
    "fail-on": { type: "string", default: KINDS.join(",") },
    report: { type: "string" },
  },
  strict: true,
});

const positive = (name: string, text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: a whole number of at least 1, not "${text}"`);
  return value;
};
const chaosSeconds = positive("budget", values.budget);
const customers = positive("customers", values.customers);
const leaseSeconds = values["lease-seconds"] === undefined ? undefined : positive("lease-seconds", values["lease-seconds"]);
const databases = values.databases.split(",").map((name) => name.trim());
for (const name of databases)
  if (name !== "sqlite" && name !== "postgresql") throw new Error(`--databases: sqlite or postgresql, not "${name}"`);
const failOn = values["fail-on"].split(",").map((name) => name.trim()) as Kind[];
for (const kind of failOn) if (!KINDS.includes(kind)) throw new Error(`--fail-on: one of ${KINDS.join(", ")}, not "${kind}"`);

const workDir = mkdtempSync(path.join(os.tmpdir(), "ordergram-chaos-"));
const logDir = path.join(workDir, "logs");
mkdirSync(logDir, { recursive: true });
const log = (line: string) => process.stdout.write(`${line}\n`);

async function createPostgresDatabase(serverUrl: string): Promise<string> {
  const name = `og_chaos_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function describe(database: string, result: ScenarioResult): string {
  const spread = (ms: number[], what = "kills") => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `median ${seconds(sorted[Math.floor(sorted.length / 2)] ?? 0)}, max ${seconds(sorted.at(-1) ?? 0)} (${sorted.length} ${what})`;
  };
  const alone = result.catchUps.filter((c) => !c.killedAgain).map((c) => c.ms);
  return [
    renderTable(`chaos on ${database}: ${result.kills} kill -9`, result.counts),
    `  restart (spawn to healthy): ${spread(result.restartMs, "restarts")}`,
    `  takeover, kill to the last thing owed at the kill arriving: ${spread(alone)} when not killed again meanwhile; ` +
      `${spread(result.catchUps.map((c) => c.ms))} in all`,
    `  longest customer wait: read-back ${seconds(result.longestWaitMs.readBack)}, tap reply ${seconds(result.longestWaitMs.tapReply)}`,
  ].join("\n");
}

const failures: string[] = [];
const reported: string[] = [];
/** Per database and kind: "held", "failed" (lost or duplicated outside the window, in --fail-on) or "reported" (the same, not in it). */
const verdicts: Record<string, Record<string, "held" | "failed" | "reported">> = {};
const results: Record<string, ScenarioResult> = {};
const writeReport = () => {
  if (!values.report) return;
  mkdirSync(path.dirname(path.resolve(values.report)), { recursive: true });
  writeFileSync(values.report, `${JSON.stringify({ chaosSeconds, failOn, verdicts, results }, null, 2)}\n`);
};
try {
  log(`chaos: ${chaosSeconds} s of kill -9 per database (${databases.join(", ")}), ${customers} customers; logs in ${logDir}`);
  // The databases run side by side, each with its own stand-in, app, port and folder: most of a
  // scenario is waiting (restarts, leases running out), so one after the other doubled the time.
  const outcomes = await Promise.all(
    (databases as Array<"sqlite" | "postgresql">).map(async (database) => {
      const dir = path.join(workDir, database);
      mkdirSync(dir, { recursive: true });
      const scenario = (databaseUrl: string) =>
        runChaosScenario({
          database,
          databaseUrl,
          chaosSeconds,
          customers,
          ...(leaseSeconds === undefined ? {} : { leaseSeconds }),
          workDir: dir,
          logDir,
          log,
        });
      const result =
        database === "sqlite"
          ? await scenario(`file:${path.join(dir, "chaos.db")}`)
          : await withPostgresServer(async (serverUrl) => scenario(await createPostgresDatabase(serverUrl)));
      return { database, result };
    }),
  );
  for (const { database, result } of outcomes) {
    log(describe(database, result));
    results[database] = result;
    const failing = failingKinds(result.counts);
    verdicts[database] = Object.fromEntries(
      KINDS.map((kind) => [kind, !failing.includes(kind) ? "held" : failOn.includes(kind) ? "failed" : "reported"]),
    );
    for (const kind of failing) (failOn.includes(kind) ? failures : reported).push(`${kind} on ${database}`);
  }
  writeReport();
} catch (error) {
  log(`chaos: the run itself failed (logs in ${logDir}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
}

if (reported.length > 0) log(`chaos: reported, not failed on (--fail-on ${failOn.join(",")}): ${reported.join("; ")}`);
if (failures.length > 0) {
  log(`chaos: FAILED: lost or duplicated outside the at-least-once window: ${failures.join("; ")}`);
  process.exit(1);
}
log("chaos: passed");
process.exit(0);
