import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), "utf8")) as Record<string, any>;

describe("npm install on a clone of ordergram", () => {
  it("has every dependency with an install script approved in allowScripts, and nothing else", () => {
    // The lockfile marks each package with a preinstall, install or postinstall script.
    const lock = readJson("package-lock.json") as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([location, entry]) => location !== "" && entry.hasInstallScript)
      .map(([location]) => location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length));
    const approved = readJson("package.json").allowScripts as Record<string, boolean>;
    expect(Object.keys(approved).sort()).toEqual([...new Set(withScripts)].sort());
    expect(Object.values(approved).every((allowed) => allowed === true)).toBe(true);
  });

  it("builds nothing in prepare when npm runs in ordergram's own checkout, so it stays fast", () => {
    expect(readJson("package.json").scripts.prepare).toBe("node scripts/prepare-package.mjs");
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
