// npm run config:check [-- path/to/ordergram.config.yaml]
// Checks a configuration file (and its textsDir) the way start-up does, and prints every problem.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, exampleConfigPath, mergeTextsDir, parseConfigFile } from "../src/config/load-config.js";

const given = process.argv[2] ?? process.env.ORDERGRAM_CONFIG;
const configPath = path.resolve(given ?? (existsSync("ordergram.config.yaml") ? "ordergram.config.yaml" : exampleConfigPath));
if (!existsSync(configPath)) {
  console.error(`No such file: ${configPath}`);
  process.exit(2);
}
try {
  const config = mergeTextsDir(parseConfigFile(readFileSync(configPath, "utf8"), configPath), configPath);
  const overridden = Object.values(config.texts).reduce((n, texts) => n + Object.keys(texts ?? {}).length, 0);
  console.log(`${configPath} is valid: shop "${config.shop.name}", languages ${config.shop.languages.join(", ")}, ${overridden} text(s) of your own.`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  console.error(`${error.problems.length} problem(s).`);
  process.exit(1);
}
