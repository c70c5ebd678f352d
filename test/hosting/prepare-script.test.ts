import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

describe("npm's prepare script", () => {
  it("builds nothing when npm runs in ordergram's own checkout, so npm install on a clone stays fast", () => {
    const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(manifest.scripts.prepare).toBe("node scripts/prepare-package.mjs");
    const run = spawnSync(process.execPath, [path.join(root, "scripts/prepare-package.mjs")], {
      cwd: root,
      env: { PATH: process.env.PATH, INIT_CWD: root },
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("dist/ is not built");
    expect(run.stdout).not.toContain("tsc -p");
  });
});
