import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const started: Array<{ proc: ChildProcess; dir: string }> = [];

/**
 * Starts `src/main.ts` the way `npm start` does (`node --import tsx`; the loader is resolved
 * here because the child runs in a scratch folder, `dir`) and collects its output. Call
 * {@link stopStartedMains} after each test.
 */
export function startMain(env: Record<string, string>, files: Record<string, string> = {}, options: { defaultDatabase?: boolean } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "og-main-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  const database = options.defaultDatabase ? {} : { DATABASE_URL: `file:${path.join(dir, "og.db")}` };
  const proc = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), path.join(root, "src/main.ts")], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...database, PORT: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push({ proc, dir });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const output = async (marker: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!stdout.includes(marker)) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`no "${marker}" in output:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return stdout;
  };
  return { proc, dir, output, exited, stderr: () => stderr };
}

/** Kills what startMain started and removes its scratch folders. */
export function stopStartedMains(): void {
  for (const { proc, dir } of started.splice(0)) {
    proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}
