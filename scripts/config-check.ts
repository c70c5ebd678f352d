// npm run config:check [-- path/to/ordergram.config.yaml]
// Checks a configuration file and its textsDir the way start-up does, and prints every problem at
// once: errors (start-up would refuse the file; exit code 1) and warnings (it starts, with the
// fallback each warning names, e.g. a reason's label missing in a language the shop offers).
import { existsSync } from "node:fs";
import path from "node:path";
import { checkConfigFile, exampleConfigPath } from "../src/config/load-config.js";

const given = process.argv[2] ?? process.env.ORDERGRAM_CONFIG;
const configPath = path.resolve(given ?? (existsSync("ordergram.config.yaml") ? "ordergram.config.yaml" : exampleConfigPath));
if (!existsSync(configPath)) {
  console.error(`No such file: ${configPath}`);
  process.exit(2);
}
const { file, errors, warnings } = checkConfigFile(configPath);
for (const error of errors) console.error(error.message);
if (warnings.length) {
  console.error(
    `Warnings for ${configPath} (ordergram starts with these):\n${warnings.map((w) => `  - ${w.path}: ${w.message}`).join("\n")}`,
  );
}
const warned = warnings.length ? `, ${warnings.length} warning(s)` : "";
if (errors.length || !file) {
  console.error(`${errors.reduce((n, error) => n + error.problems.length, 0)} problem(s)${warned}.`);
  process.exit(1);
}
const overridden = Object.values(file.texts).reduce((n, texts) => n + Object.keys(texts ?? {}).length, 0);
console.log(
  `${configPath} is valid${warned}: shop "${file.shop.name}", languages ${file.shop.languages.join(", ")}, ${overridden} text(s) of your ` +
    `own.`,
);
