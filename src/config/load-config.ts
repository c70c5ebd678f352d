import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import { checkTextOverride } from "../locales/text-overrides.js";
import { supportedLanguages, type Language } from "../locales/supported-languages.js";
import { describeIssues, type InputProblem } from "../shared/describe-issues.js";
import { configFileSchema, type ConfigFile } from "./config-schema.js";
import { configWarnings } from "./config-warnings.js";
import { envSchema, type Env } from "./env-schema.js";

/** The environment with a bot token: the shop API has its own token too (parseEnv insists). */
export type TelegramEnv = Env & { TELEGRAM_BOT_TOKEN: string; ORDERGRAM_API_TOKEN: string };
/** The environment without a bot token. */
export type SandboxEnv = Env & { TELEGRAM_BOT_TOKEN?: undefined };

interface ConfigParts {
  file: ConfigFile;
  /** The config file that was read. */
  configPath: string;
}

/**
 * Everything ordergram is told from outside, parsed and checked once, at start-up. The mode
 * says which: "telegram" with a bot token, "sandbox" without one (a local Bot API stand-in).
 */
export type Config = (ConfigParts & { mode: "telegram"; env: TelegramEnv }) | (ConfigParts & { mode: "sandbox"; env: SandboxEnv });

/** An environment and a config file, with the mode the environment's bot token implies. */
export function configOf({ env, ...parts }: ConfigParts & { env: Env }): Config {
  const { TELEGRAM_BOT_TOKEN: token, ORDERGRAM_API_TOKEN: apiToken } = env;
  if (!token) return { ...parts, mode: "sandbox", env: { ...env, TELEGRAM_BOT_TOKEN: undefined } };
  if (!apiToken) throw missingApiToken();
  return { ...parts, mode: "telegram", env: { ...env, TELEGRAM_BOT_TOKEN: token, ORDERGRAM_API_TOKEN: apiToken } };
}

/** The environment values a running config may have replaced: not the tokens, which decide its mode. */
export type EnvChanges = Partial<Omit<Env, "TELEGRAM_BOT_TOKEN" | "ORDERGRAM_API_TOKEN">>;

/** The config with some environment values replaced, in the mode it was. */
export const withEnv = (config: Config, changes: EnvChanges): Config =>
  config.mode === "telegram" ? { ...config, env: { ...config.env, ...changes } } : { ...config, env: { ...config.env, ...changes } };

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: InputProblem[],
  ) {
    super(`Invalid configuration in ${source}:\n` + problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n"));
    this.name = "ConfigError";
  }
}

const packageRoot = fileURLToPath(new URL("../..", import.meta.url));
export const exampleConfigPath = path.join(packageRoot, "ordergram.config.example.yaml");

type YamlDocument = ReturnType<typeof parseDocument>;

/** The line of the value at a key path, added to the problem's path ("shop.name (line 2)"). */
function withLine(problem: InputProblem, doc: YamlDocument, lineCounter: LineCounter): InputProblem {
  const { segments, ...rest } = problem;
  const node = doc.getIn(segments ?? [], true) as { range?: [number, number, number] } | undefined;
  const offset = node?.range?.[0];
  if (offset === undefined) return rest;
  return { ...rest, path: `${rest.path} (line ${lineCounter.linePos(offset).line})` };
}

function readDocument(text: string): { doc: YamlDocument; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true }), lineCounter };
}

function fileFromDocument(doc: YamlDocument, lineCounter: LineCounter, source: string): ConfigFile {
  if (doc.errors.length) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => ({ path: `line ${e.linePos?.[0]?.line ?? "?"}`, message: e.message.split("\n")[0] ?? e.message })),
    );
  }
  const result = configFileSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  throw new ConfigError(
    source,
    describeIssues(result.error).map((problem) => withLine(problem, doc, lineCounter)),
  );
}

/** Parses a config file's text; problems name the key path and the line of the bad value. */
export function parseConfigFile(text: string, source: string): ConfigFile {
  const { doc, lineCounter } = readDocument(text);
  return fileFromDocument(doc, lineCounter, source);
}

/**
 * Reads `textsDir`: one <language>.yaml per language with "key: text" lines, each checked like
 * `texts`, with its file and line in every problem.
 */
function readTextsDir(
  textsDir: string,
  configPath: string,
): { texts: Partial<Record<Language, Record<string, string>>>; error?: ConfigError } {
  const dir = path.resolve(path.dirname(configPath), textsDir);
  if (!existsSync(dir)) return { texts: {}, error: new ConfigError(configPath, [{ path: "textsDir", message: `no such folder: ${dir}` }]) };
  const problems: InputProblem[] = [];
  const texts: Partial<Record<Language, Record<string, string>>> = {};
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
    texts[language] = fromFile;
  }
  return problems.length ? { texts, error: new ConfigError(dir, problems) } : { texts };
}

/** The config's own `texts` win over the folder's. */
const withTextsDir = (file: ConfigFile, fromDir: Partial<Record<Language, Record<string, string>>>): ConfigFile => {
  const texts = { ...file.texts };
  for (const [language, entries] of Object.entries(fromDir) as Array<[Language, Record<string, string>]>) {
    texts[language] = { ...entries, ...texts[language] };
  }
  return { ...file, texts };
};

/**
 * Reads `textsDir` into the config's texts (the config's own `texts` win over the folder); a
 * problem in a file of the folder stops here with its file and line.
 */
export function mergeTextsDir(file: ConfigFile, configPath: string): ConfigFile {
  if (!file.textsDir) return file;
  const read = readTextsDir(file.textsDir, configPath);
  if (read.error) throw read.error;
  return withTextsDir(file, read.texts);
}

/** Everything a config file and its textsDir have wrong (errors) or leave unsaid (warnings), all at once. */
export interface ConfigCheck {
  /** The configuration as start-up would use it; null when the file itself has errors. */
  file: ConfigFile | null;
  /** What stops start-up: the file's problems, then its textsDir's. */
  errors: ConfigError[];
  /** What start-up accepts with a fallback (see config-warnings.ts), each with its key and line. */
  warnings: InputProblem[];
}

/**
 * Checks a config file as start-up does, without stopping at the first part with problems: the
 * file and its textsDir are both checked (a file with errors still names its textsDir), so
 * `npm run config:check` prints every problem at once.
 */
export function checkConfigFile(configPath: string): ConfigCheck {
  const { doc, lineCounter } = readDocument(readFileSync(configPath, "utf8"));
  const errors: ConfigError[] = [];
  let file: ConfigFile | null = null;
  try {
    file = fileFromDocument(doc, lineCounter, configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    errors.push(error);
  }
  const named: unknown = file ? file.textsDir : doc.get("textsDir");
  if (typeof named === "string" && named.length > 0) {
    const read = readTextsDir(named, configPath);
    if (read.error) errors.push(read.error);
    else if (file) file = withTextsDir(file, read.texts);
  }
  const warnings = file ? configWarnings(file).map((warning) => withLine(warning, doc, lineCounter)) : [];
  return { file: errors.length ? null : file, errors, warnings };
}

/** Reads and checks a config file and its textsDir as start-up does; a reload reads it the same way. */
export function readConfigFile(configPath: string): ConfigFile {
  const { file, errors } = checkConfigFile(configPath);
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1)
    throw new ConfigError(
      configPath,
      errors.flatMap((error) => error.problems),
    );
  return file!;
}

export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigError("the environment", describeIssues(result.error));
  const parsed = result.data;
  if (parsed.TELEGRAM_BOT_TOKEN && !parsed.ORDERGRAM_API_TOKEN) throw missingApiToken();
  return parsed;
}

const missingApiToken = () =>
  new ConfigError("the environment", [
    { path: "ORDERGRAM_API_TOKEN", message: "required when TELEGRAM_BOT_TOKEN is set (the shop API must not be open)" },
  ]);

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
  const config = configOf({ env, file, configPath });
  // The sandbox signs with a secret of its own (sandbox/sandbox-config.ts); a real bot needs the shop's.
  if (config.mode === "telegram") requireWebhookSecret(config);
  return config;
}

/**
 * Webhooks to the shop are signed with ORDERGRAM_WEBHOOK_SECRET, and never sent unsigned: with a
 * URL but no secret they would wait in the outbox for ever, without a word. Refuse to start instead.
 */
export function requireWebhookSecret(config: Pick<Config, "env" | "file" | "configPath">): void {
  const { env, file } = config;
  if (env.ORDERGRAM_WEBHOOK_SECRET) return;
  const where = env.ORDERGRAM_WEBHOOK_URL
    ? "ORDERGRAM_WEBHOOK_URL is set"
    : file.webhooks.url
      ? `webhooks.url is set in ${config.configPath}`
      : null;
  if (!where) return;
  throw new ConfigError("the environment", [
    {
      path: "ORDERGRAM_WEBHOOK_SECRET",
      message:
        `required because ${where}: webhooks to your system are signed with it, and without it none would be sent (at least 16 ` +
        `characters)`,
    },
  ]);
}
