// Child processes of a benchmark run (the stand-in, ordergram, the echo bot), their CPU time and
// memory from /proc, and the guarantee that every one of them is gone when the run ends: killed
// in reverse order by `stopAll()`, and killed synchronously if the runner itself exits or is
// interrupted.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Child>();

function killAllNow(): void {
  for (const child of running) {
    try {
      child.process.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}
process.once("exit", killAllNow);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  args?: string[];
  /** Where stdout and stderr go (a file path); inherited stderr and ignored stdout when omitted. */
  logFile?: string;
  /** Read the first stdout line as JSON and return it (the stand-in prints its addresses). */
  firstLineJson?: boolean;
}

/** Starts a TypeScript entry point with `node --import tsx`, so the pid is the program's own. */
export async function spawnTs(name: string, entry: string, options: SpawnOptions = {}): Promise<{ child: Child; firstLine?: any }> {
  const proc = spawn(process.execPath, [...(options.nodeFlags ?? []), "--import", "tsx", entry, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const log = options.logFile ? createWriteStream(options.logFile) : undefined;
  proc.stderr.on("data", (chunk: Buffer) => (log ? log.write(chunk) : process.stderr.write(chunk)));
  let stopping: Promise<void> | undefined;
  const child: Child = {
    name,
    process: proc,
    pid: proc.pid!,
    exited,
    stop: (graceMs = 10_000) =>
      (stopping ??= (async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
          proc.kill("SIGTERM");
          const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
          await exited;
          clearTimeout(timer);
        }
        running.delete(child);
        log?.end();
      })()),
  };
  running.add(child);
  if (!options.firstLineJson) {
    proc.stdout.on("data", (chunk: Buffer) => log?.write(chunk));
    return { child };
  }
  const lines = createInterface({ input: proc.stdout });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once("line", resolve)),
    exited.then((code) => Promise.reject(new Error(`${name} exited (code ${code}) before it was ready`))),
    sleep(60_000).then(() => Promise.reject(new Error(`${name} did not start within 60 s`))),
  ]).catch(async (error: unknown) => {
    await child.stop();
    throw error;
  });
  lines.on("line", (line) => log?.write(`${line}\n`));
  return { child, firstLine: JSON.parse(first) };
}

export async function stopAll(): Promise<void> {
  for (const child of [...running].reverse()) await child.stop();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Polls `url` until it answers 200; returns the time it took from `since` (ms). */
export async function waitForHttp(url: string, since: number, child: Child, timeoutMs = 120_000): Promise<number> {
  while (performance.now() - since < timeoutMs) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited with code ${child.process.exitCode} while starting`);
    try {
      const response = await fetch(url);
      if (response.ok) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

// ------------------------------------------------------------------ /proc

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Resident memory now and its peak since the process started (MB). */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/** Samples the processes' RSS every `everyMs` and keeps each one's peak, for a phase of a run. */
export class ResourceMeter {
  private readonly startCpu = new Map<number, number>();
  private readonly peakRss = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();

  constructor(
    private readonly children: Child[],
    everyMs = 100,
  ) {
    for (const child of children) {
      this.startCpu.set(child.pid, cpuSeconds(child.pid));
      this.peakRss.set(child.pid, memoryMb(child.pid).rss);
    }
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const child of this.children) {
      try {
        const { rss } = memoryMb(child.pid);
        if (rss > (this.peakRss.get(child.pid) ?? 0)) this.peakRss.set(child.pid, rss);
      } catch {
        // exited
      }
    }
  }

  /** Per process: CPU seconds used during the phase, its share of one core, peak RSS (MB). */
  finish(): Record<string, { cpuSeconds: number; cpuCores: number; peakRssMb: number }> {
    this.sample();
    clearInterval(this.timer);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const result: Record<string, { cpuSeconds: number; cpuCores: number; peakRssMb: number }> = {};
    for (const child of this.children) {
      let used = NaN;
      try {
        used = cpuSeconds(child.pid) - (this.startCpu.get(child.pid) ?? 0);
      } catch {
        // exited
      }
      result[child.name] = {
        cpuSeconds: round(used, 2),
        cpuCores: round(used / seconds, 2),
        peakRssMb: round(this.peakRss.get(child.pid) ?? NaN, 1),
      };
    }
    return result;
  }
}

export const round = (value: number, digits = 1): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
