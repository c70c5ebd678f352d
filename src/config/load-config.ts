import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import { checkTextOverride } from "../locales/text-overrides.js";
import { supportedLanguages } from "../locales/supported-languages.js";
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
  const withLines = describeIssues(result.error).map(({ segments, ...problem }) => {
    const node = doc.getIn(segments ?? [], true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0];
    if (offset === undefined) return problem;
    return { ...problem, path: `${problem.path} (line ${lineCounter.linePos(offset).line})` };
  });
  throw new ConfigError(source, withLines);
}

/**
 * Reads `textsDir`: one <language>.yaml per language with "key: text" lines, each checked like
 * `texts`, with its file and line in every problem. The config's own `texts` win over the folder.
 */
export function mergeTextsDir(file: ConfigFile, configPath: string): ConfigFile {
  if (!file.textsDir) return file;
  const dir = path.resolve(path.dirname(configPath), file.textsDir);
  if (!existsSync(dir)) throw new ConfigError(configPath, [{ path: "textsDir", message: `no such folder: ${dir}` }]);
  const problems: InputProblem[] = [];
  const texts = { ...file.texts };
  for (const language of supportedLanguages) {
    const textsPath = path.join(dir, `${language}.yaml`);
    if (!existsSync(textsPath)) continue;
    const lineCounter = new LineCounter();
    const doc = parseDocument(readFileSync(textsPath, "utf8"), { lineCounter, uniqueKeys: true });
    const at = (offset: number | undefined) => (offset === undefined ? textsPath : `${textsPath}:${lineCounter.linePos(offset).line}`);
    if (doc.errors.length) {
      problems.push(...doc.errors.map((e) => ({ path: at(e.pos[0]), message: e.message.split("\n")[0] ?? e.message })));
      continue;
    }
    const entries = (doc.toJS() ?? {}) as Record<string, unknown>;
    const fromFile: Record<string, string> = {};
    for (const [key, text] of Object.entries(entries)) {
      const node = doc.get(key, true) as { range?: [number, number, number] } | undefined;
      if (typeof text !== "string") {
        problems.push({ path: `${at(node?.range?.[0])} ${key}`, message: "expected a text (a string)" });
        continue;
      }
      for (const message of checkTextOverride(key, text, language)) problems.push({ path: `${at(node?.range?.[0])} ${key}`, message });
      fromFile[key] = text;
    }
    texts[language] = { ...fromFile, ...texts[language] };
  }
  if (problems.length) throw new ConfigError(dir, problems);
  return { ...file, texts };
}

/** Reads and checks a config file and its textsDir as start-up does; a reload reads it the same way. */
export function readConfigFile(configPath: string): ConfigFile {
  return mergeTextsDir(parseConfigFile(readFileSync(configPath, "utf8"), configPath), configPath);
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
  const file = readConfigFile(configPath);
  return { env, file, configPath, mode: env.TELEGRAM_BOT_TOKEN ? "telegram" : "sandbox" };
}
