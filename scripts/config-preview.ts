// npm run config:preview -- --locale ru --flow confirmation [--config path]
// Prints what a customer would see, screen by screen, with your configuration and wording.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, exampleConfigPath, readConfigFile } from "../src/config/load-config.js";
import { createTranslator } from "../src/locales/i18n.js";
import { isSupportedLanguage, supportedLanguages } from "../src/locales/supported-languages.js";
import { previewFlow, previewFlows, screenAsText, type PreviewFlow } from "../src/preview/preview-flows.js";

const { values } = parseArgs({
  options: { locale: { type: "string", default: "en" }, flow: { type: "string", default: "confirmation" }, config: { type: "string" } },
});
const language = values.locale;
const flow = values.flow;
if (!isSupportedLanguage(language)) {
  console.error(`--locale must be one of ${supportedLanguages.join(", ")}`);
  process.exit(2);
}
if (!(previewFlows as readonly string[]).includes(flow)) {
  console.error(`--flow must be one of ${previewFlows.join(", ")}`);
  process.exit(2);
}
const configPath = path.resolve(
  values.config ?? process.env.ORDERGRAM_CONFIG ?? (existsSync("ordergram.config.yaml") ? "ordergram.config.yaml" : exampleConfigPath),
);
try {
  const config = readConfigFile(configPath);
  const translator = await createTranslator(config.shop, config.texts);
  const screens = previewFlow(flow as PreviewFlow, { config, translator, language, now: new Date() });
  console.log(screens.map(screenAsText).join("\n\n"));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
