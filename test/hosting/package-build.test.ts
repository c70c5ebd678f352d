import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegramStandin, type TelegramStandin } from "../../src/telegram-standin/index.js";
import { dockerHealthcheckCommand, layOutRuntimeStage, readDockerfile, runtimeCommand, runtimeEnvironment } from "../support/dockerfile.js";
import { freePort } from "../support/free-port.js";

const root = path.resolve(import.meta.dirname, "../..");

describe("ordergram as a package", () => {
  let outDir: string;

  beforeAll(() => {
    // Built beside the sources (dist/ is ignored by git) so that the package's own paths resolve.
    outDir = mkdtempSync(path.join(root, "dist-test-"));
    const build = spawnSync(
      path.join(root, "node_modules/.bin/tsc"),
      ["-p", path.join(root, "tsconfig.build.json"), "--outDir", outDir, "--sourceMap", "false"],
      { encoding: "utf8" },
    );
    expect(build.stdout + build.stderr).toBe("");
    expect(build.status).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("builds to JavaScript with type declarations, and the built entry point offers createOrdergram", async () => {
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
  });

  describe("the built main.js, which the container and the systemd unit run", () => {
    let standin: TelegramStandin;
    const token = "7654321:BUILT-entry-point-against-the-stand-in";
    const dockerfile = readDockerfile(root);
    beforeAll(async () => {
      standin = await startTelegramStandin();
      standin.addBot({ token, username: "built_shop_bot", firstName: "Built Shop" });
    });
    afterAll(() => standin?.close());

    /** The Dockerfile's HEALTHCHECK command, run here as Docker would inside the container. */
    const runHealthcheck = (port: number) => {
      const [program, ...args] = dockerHealthcheckCommand(dockerfile);
      expect(program).toBe("node");
      return spawnSync(process.execPath, args, { env: { PORT: String(port) }, timeout: 10_000 }).status;
    };

    it("starts for Telegram in the image's file layout, passes the image's HEALTHCHECK, and exits 0 on SIGTERM", async () => {
      // A folder playing the image's /app: only what the runtime stage copies, run as its CMD and
      // ENV say, from /app as the working directory (no .env, no config file: the example config).
      const app = mkdtempSync(path.join(tmpdir(), "og-image-"));
      layOutRuntimeStage(dockerfile, { root, dist: outDir, into: app });
      mkdirSync(path.join(app, "data"));
      const [program, ...args] = runtimeCommand(dockerfile);
      expect(program).toBe("node");
      const port = await freePort();
      const child = spawn(process.execPath, args, {
        cwd: app,
        env: {
          PATH: process.env.PATH,
          ...runtimeEnvironment(dockerfile, app),
          TELEGRAM_BOT_TOKEN: token,
          TELEGRAM_API_ROOT: standin.url,
          ORDERGRAM_API_TOKEN: "built-entry-point-api-token",
          // Only this machine, on a port that is free.
          HOST: "127.0.0.1",
          PORT: String(port),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      try {
        await expect.poll(() => output, { timeout: 30_000, interval: 200 }).toContain('"msg":"ordergram is running"');
        expect(output).toContain('"bot":"built_shop_bot"');
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);
        expect(((await health.json()) as { status: string }).status).toBe("ok");
        expect(runHealthcheck(port)).toBe(0);
        child.kill("SIGTERM");
        expect(await exited).toBe(0);
        expect(runHealthcheck(port)).toBe(1);
        // The database is where the image keeps it: the data volume.
        expect(existsSync(path.join(app, "data", "ordergram.db"))).toBe(true);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
        rmSync(app, { recursive: true, force: true });
      }
    }, 60_000);
  });
});
