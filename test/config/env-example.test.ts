import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv as parseDotenv } from "node:util";
import { describe, expect, it } from "vitest";
import { loadConfig, parseEnv } from "../../src/config/load-config.js";
import { envSchema } from "../../src/config/env-schema.js";

/**
 * `.env.example` is what a shop copies to `.env`: its values must pass the same validation `npm
 * start` applies (a token of the wrong shape would stop start-up on the first try), and its names
 * must be ones ordergram reads.
 */

const root = path.resolve(import.meta.dirname, "../..");
const example = readFileSync(path.join(root, ".env.example"), "utf8");
/** Read by compose.yaml for its PostgreSQL server, not by ordergram. */
const composeOnly = new Set(["POSTGRES_PASSWORD"]);

/** `NAME=value` lines that are commented out: the alternatives the file offers. */
const commentedAssignments = [...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=(\S+)$/gm)].map(([, name, value]) => ({
  name: name!,
  value: value!,
}));

const loadFrom = (env: NodeJS.ProcessEnv) => loadConfig({ env, cwd: mkdtempSync(path.join(tmpdir(), "og-env-example-")) });

describe(".env.example", () => {
  it("passes ordergram's environment validation as it is, with a bot token: ordergram starts for Telegram", () => {
    const env = parseDotenv(example);
    const config = loadFrom(env);
    expect(config.mode).toBe("telegram");
    expect(config.env.TELEGRAM_BOT_TOKEN).toBe(env.TELEGRAM_BOT_TOKEN);
    expect(config.env.ORDERGRAM_API_TOKEN).toBe(env.ORDERGRAM_API_TOKEN);
    expect(config.env.DATABASE_URL).toBe("file:./data/ordergram.db");
  });

  it("names only variables ordergram reads (or compose.yaml does)", () => {
    const names = [...Object.keys(parseDotenv(example)), ...commentedAssignments.map((a) => a.name)];
    const known = new Set([...Object.keys(envSchema.shape), ...composeOnly]);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });

  it("offers commented-out alternatives that each pass the environment's validation too", () => {
    expect(commentedAssignments.map((a) => a.name)).toContain("DATABASE_URL");
    for (const { name, value } of commentedAssignments) {
      expect(() => parseEnv({ ...parseDotenv(example), [name]: value }), `${name}=${value}`).not.toThrow();
    }
  });

  it("is what the README's 'Running for real' tells a shop to put in .env", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Running for real"), readme.indexOf("## Configuration"));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const shown = block
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => /^[A-Z_]+=/.test(line));
    expect(shown.length).toBeGreaterThan(0);
    const exampleLines = new Set(example.split("\n"));
    expect(shown.filter((line) => !exampleLines.has(line))).toEqual([]);
  });
});
