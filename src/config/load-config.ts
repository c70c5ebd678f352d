import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import { describeIssues, type InputProblem } from "../shared/describe-issues.js";
import { configFileSchema, type ConfigFile } from "./config-schema.js";
import { envSchema, type Env } from "./env-schema.js";

/** Everything ordergram is told from outside, parsed and checked once, at start-up. */
export interface Config {
  env: Env;
  file: ConfigFile;
  /** The config file that was read. */
  configPath: string;
  /** "telegram" with a bot token; "sandbox" without one (local Bot API stand-in). */
  mode: "telegram" | "sandbox";
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: InputProblem[],
  ) {
    super(
      `Invalid configuration in ${source}:\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

const packageRoot = fileURLToPath(new URL("../..", import.meta.url));
export const exampleConfigPath = path.join(packageRoot, "ordergram.config.example.yaml");

/** Parses a config file's text; problems name the key path and the line of the bad value. */
export function parseConfigFile(text: string, source: string): ConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => ({ path: `line ${e.linePos?.[0]?.line ?? "?"}`, message: e.message.split("\n")[0] ?? e.message })),
    );
  }
  const result = configFileSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  const withLines = describeIssues(result.error).map((problem) => {
    const keyPath = problem.path === "(root)" ? [] : problem.path.split(".");
    const node = doc.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0];
    if (offset === undefined) return problem;
    return { ...problem, path: `${problem.path} (line ${lineCounter.linePos(offset).line})` };
  });
  throw new ConfigError(source, withLines);
}

export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigError("the environment", describeIssues(result.error));
  const parsed = result.data;
  if (parsed.TELEGRAM_BOT_TOKEN && !parsed.ORDERGRAM_API_TOKEN) {
    throw new ConfigError("the environment", [
      { path: "ORDERGRAM_API_TOKEN", message: "required when TELEGRAM_BOT_TOKEN is set (the shop API must not be open)" },
    ]);
  }
  return parsed;
}

/**
 * Reads `.env` (when present) into the environment, then the config file: ORDERGRAM_CONFIG, else
 * ./ordergram.config.yaml, else the shipped example, so a fresh clone starts with no set-up.
 */
export function loadConfig(options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  if (!options.env) {
    const dotenv = path.join(cwd, ".env");
    if (existsSync(dotenv)) process.loadEnvFile(dotenv);
  }
  const env = parseEnv(options.env ?? process.env);
  const candidates = env.ORDERGRAM_CONFIG
    ? [path.resolve(cwd, env.ORDERGRAM_CONFIG)]
    : [path.join(cwd, "ordergram.config.yaml"), exampleConfigPath];
  const configPath = candidates.find((p) => existsSync(p));
  if (!configPath) {
    throw new ConfigError("ORDERGRAM_CONFIG", [{ path: "ORDERGRAM_CONFIG", message: `no such file: ${candidates[0]}` }]);
  }
  const file = parseConfigFile(readFileSync(configPath, "utf8"), configPath);
  return { env, file, configPath, mode: env.TELEGRAM_BOT_TOKEN ? "telegram" : "sandbox" };
}
