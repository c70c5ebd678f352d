import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

describe("ordergram as a package", () => {
  it("builds to JavaScript with type declarations, and the built entry point offers createOrdergram", async () => {
    // Built beside the sources (dist/ is ignored by git) so that the package's own paths resolve.
    const outDir = mkdtempSync(path.join(root, "dist-test-"));
    try {
      const build = spawnSync(
        path.join(root, "node_modules/.bin/tsc"),
        ["-p", path.join(root, "tsconfig.build.json"), "--outDir", outDir, "--sourceMap", "false"],
        {
          encoding: "utf8",
        },
      );
      expect(build.stdout + build.stderr).toBe("");
      expect(build.status).toBe(0);
      const declarations = readFileSync(path.join(outDir, "index.d.ts"), "utf8");
      expect(declarations).toContain("createOrdergram");
      expect(existsSync(path.join(outDir, "ordergram.d.ts"))).toBe(true);
      const built = (await import(pathToFileURL(path.join(outDir, "index.js")).href)) as Record<string, unknown>;
      expect(typeof built.createOrdergram).toBe("function");
      expect(typeof built.verifyWebhookSignature).toBe("function");
      const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
      expect(manifest.exports["."]).toEqual({ types: "./dist/index.d.ts", import: "./dist/index.js" });
      // dist/ is not in git: packing builds it.
      expect(manifest.scripts.prepack).toBe("npm run build");
      // tsc copies no HTML or CSS: the built sandbox serves the page from the shipped src/sandbox/web.
      const builtAssets = (await import(pathToFileURL(path.join(outDir, "sandbox", "web-assets.js")).href)) as { webDirectory: string };
      expect(builtAssets.webDirectory).toBe(path.join(root, "src", "sandbox", "web"));
      expect(existsSync(path.join(builtAssets.webDirectory, "index.html"))).toBe(true);
      expect(existsSync(path.join(outDir, "sandbox", "web"))).toBe(false);
      expect(manifest.files).toContain("src");
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 300_000);
});
