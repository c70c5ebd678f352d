// What every benchmark needs: the stand-in in its own process with its control channel, ordergram
// in its own process (src/main.ts, as `npm start` runs it), a throw-away PostgreSQL, a shop
// webhook receiver, the benchmark configuration file.
import { createServer, type Server } from "node:http";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pg from "pg";
import { parse, stringify } from "yaml";
import { startPostgresCluster, type PostgresCluster } from "../../scripts/lib/postgres-cluster.js";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { cpuSeconds, freePort, spawnTs, waitForHttp, type Child } from "./processes.js";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
export const API_TOKEN = "bench-api-token-0123456789abcdef";
export const WEBHOOK_SECRET = "bench-webhook-secret-0123456789";

/** A bot token the stand-in and ordergram's env check both accept; `n` keeps tokens apart. */
export const botToken = (n: number): string => `${8000000000 + n}:BENCH-token-for-the-local-stand-in-${String(n).padStart(4, "0")}`;

// ------------------------------------------------------------------ the stand-in

export interface StandinProcess {
  child: Child;
  apiUrl: string;
  controlUrl: string;
  control<T = any>(method: "GET" | "POST", path: string, body?: unknown): Promise<T>;
}

export async function startStandinProcess(options: { floodLimits: boolean; logFile: string }): Promise<StandinProcess> {
  const { child, firstLine } = await spawnTs("stand-in", path.join(repoRoot, "src/telegram-standin/standalone.ts"), {
    args: ["--exit-with-stdin", ...(options.floodLimits ? ["--flood-limits"] : [])],
    firstLineJson: true,
    logFile: options.logFile,
  });
  const { apiUrl, controlUrl } = firstLine as { apiUrl: string; controlUrl: string };
  return {
    child,
    apiUrl,
    controlUrl,
    async control(method, route, body) {
      const response = await fetch(`${controlUrl}${route}`, {
        method,
        ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as { ok: boolean; error?: string };
      if (!json.ok) throw new Error(`stand-in control ${method} ${route}: ${response.status} ${json.error ?? ""}`);
      return json as never;
    },
  };
}

// ------------------------------------------------------------------ ordergram

/** The shipped example configuration with the benchmark's changes merged in. */
export function benchConfigYaml(overrides: Record<string, unknown> = {}): string {
  const base = parse(readFileSync(exampleConfigPath, "utf8")) as Record<string, any>;
  base.notifications.contactHours = { ...base.notifications.contactHours, from: "00:00", to: "24:00" };
  base.delivery.courier = {
    ...base.delivery.courier,
    daysOff: [],
    holidays: [],
    windows: [
      { window: "10:00-14:00", capacity: 10_000 },
      { window: "14:00-18:00", capacity: 10_000 },
      { window: "18:00-21:00", capacity: 10_000 },
    ],
  };
  return stringify(deepMerge(base, overrides));
}

function deepMerge(base: Record<string, any>, overrides: Record<string, any>): Record<string, any> {
  const merged = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    merged[key] =
      value && typeof value === "object" && !Array.isArray(value) && typeof base[key] === "object" ? deepMerge(base[key], value) : value;
  }
  return merged;
}

export interface OrdergramProcess {
  child: Child;
  url: string;
  /** From spawning the process to /healthz answering 200 (ms). */
  startupMs: number;
  api(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export async function startOrdergram(options: {
  name?: string;
  token: string;
  apiRoot: string;
  databaseUrl: string;
  workDir: string;
  configYaml: string;
  webhookUrl?: string;
  logFile: string;
  nodeFlags?: string[];
  logLevel?: string;
  /** A free port when omitted. */
  port?: number;
  /** More environment variables (e.g. ORDERGRAM_LEASE_SECONDS). */
  env?: Record<string, string>;
}): Promise<OrdergramProcess> {
  const configPath = path.join(options.workDir, `ordergram-${Date.now()}.yaml`);
  writeFileSync(configPath, options.configYaml);
  const port = options.port ?? (await freePort());
  const started = performance.now();
  const { child } = await spawnTs(options.name ?? "ordergram", path.join(repoRoot, "src/main.ts"), {
    env: {
      TELEGRAM_BOT_TOKEN: options.token,
      TELEGRAM_API_ROOT: options.apiRoot,
      ORDERGRAM_API_TOKEN: API_TOKEN,
      ORDERGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...(options.webhookUrl ? { ORDERGRAM_WEBHOOK_URL: options.webhookUrl } : {}),
      DATABASE_URL: options.databaseUrl,
      ORDERGRAM_CONFIG: configPath,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: options.logLevel ?? "info",
      ...options.env,
    },
    nodeFlags: options.nodeFlags ?? [],
    logFile: options.logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  const startupMs = await waitForHttp(`${url}/healthz`, started, child).catch(async (error: unknown) => {
    await child.stop();
    throw new Error(`ordergram did not start (log: ${options.logFile}): ${(error as Error).message}`);
  });
  return {
    child,
    url,
    startupMs,
    async api(method, route, body) {
      const response = await fetch(`${url}/api/v1${route}`, {
        method,
        headers: { authorization: `Bearer ${API_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
}

// ------------------------------------------------------------------ the shop's webhook receiver

/** Answers every webhook 200 at once and counts them: the shop's side. */
export async function startWebhookSink(): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ------------------------------------------------------------------ PostgreSQL

export interface BenchPostgres {
  cluster: PostgresCluster;
  /** A new empty database on the cluster; its URL. */
  createDatabase(name: string): Promise<string>;
  /** CPU seconds used so far by the server and all its backends alive now. */
  cpuSeconds(): number;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const cluster = await startPostgresCluster();
  const postmasterPid = Number(readFileSync(path.join(cluster.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
  return {
    cluster,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return cluster.url.replace(/\/postgres$/, `/${name}`);
    },
    cpuSeconds: () => {
      let total = 0;
      for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const pid = Number(entry);
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
          const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
          if (pid === postmasterPid || parent === postmasterPid) total += cpuSeconds(pid);
        } catch {
          // exited meanwhile
        }
      }
      return total;
    },
  };
}
