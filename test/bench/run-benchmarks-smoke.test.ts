import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

// Benchmarks are not tests: nothing here checks a speed. This only makes sure the benchmark runner
// still runs end to end (processes start, talk, stop, results are written) with its cheapest part.
const run = promisify(execFile);
const out = mkdtempSync(path.join(os.tmpdir(), "ordergram-bench-smoke-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("npm run bench", () => {
  it("runs the webhook benchmark end to end and writes the results as JSON and as a table", async () => {
    await run(process.execPath, ["--import", "tsx", "bench/run-benchmarks.ts", "--quick", "--only", "webhook", "--out", out], {
      timeout: 170_000,
    });
    const results = JSON.parse(readFileSync(path.join(out, "latest.json"), "utf8"));
    expect(results.mode).toBe("quick");
    expect(results.errors).toEqual({});
    expect(results.benchmarks.webhook).toMatchObject({ updates: 300, ok: 300, failed: 0, wrongSecretStatus: 401 });
    expect(results.benchmarks.webhook.botCalls).toBeGreaterThan(0);
    expect(results.targets.map((t: { target: string }) => t.target)).toContain("start-up < 2 s with 1M jobs");
    const table = readFileSync(path.join(out, "latest.md"), "utf8");
    expect(table).toContain("## 4. Webhook mode");
    expect(table).toContain("| start-up < 2 s with 1M jobs | not measured | not measured |");
  }, 180_000);
});
