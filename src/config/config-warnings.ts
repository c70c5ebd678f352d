import type { Language } from "../locales/supported-languages.js";
import type { InputProblem } from "../shared/describe-issues.js";
import type { ConfigFile } from "./config-schema.js";

/**
 * What a valid config file still leaves unsaid: a per-language setting (a cancel or return
 * reason's label, an exchange option, the assistant's name, managers.answerWithin) with nothing
 * for a language the shop offers. ordergram starts with it (each has a fallback, named in the
 * warning), and `npm run config:check` lists every one, so the owner can decide.
 */
export function configWarnings(file: ConfigFile): InputProblem[] {
  const offered = file.shop.languages;
  const warnings: InputProblem[] = [];
  const missingIn = (texts: Partial<Record<Language, string>>) => offered.filter((language) => !texts[language]);
  const list = (languages: readonly Language[]) => languages.join(", ");

  // Labels fall back as the flows show them: English, else the first one given, else the code.
  const labelled = (segments: Array<string | number>, option: { code: string; label: Partial<Record<Language, string>> }) => {
    const missing = missingIn(option.label);
    if (!missing.length) return;
    const shown = option.label.en ?? Object.values(option.label)[0];
    warnings.push({
      path: segments.join("."),
      segments,
      message:
        `"${option.code}" has no label in ${list(missing)}: ` + `those customers see ${shown ? `"${shown}"` : `the code "${option.code}"`}`,
    });
  };
  file.confirmation.cancelReasons.forEach((reason, index) => {
    if (typeof reason !== "string") labelled(["confirmation", "cancelReasons", index, "label"], reason);
  });
  file.returns.reasons.forEach((reason, index) => {
    if (typeof reason !== "string") labelled(["returns", "reasons", index, "label"], reason);
  });
  file.returns.exchangeOptions.forEach((option, index) => labelled(["returns", "exchangeOptions", index, "label"], option));

  const assistantName = file.shop.assistantName;
  if (assistantName !== undefined && typeof assistantName !== "string") {
    const missing = missingIn(assistantName);
    if (missing.length) {
      warnings.push({
        path: "shop.assistantName",
        segments: ["shop", "assistantName"],
        message:
          `no name in ${list(missing)}: the bot introduces itself there with the default text defaults.assistantName ("your order ` +
          `assistant", in that language)`,
      });
    }
  }

  const within = file.managers.answerWithin;
  const missingWithin = missingIn(within);
  if (missingWithin.length) {
    warnings.push({
      path: "managers.answerWithin",
      segments: ["managers", "answerWithin"],
      message: `nothing in ${list(missingWithin)}: those customers read "${within.en ?? "15 minutes"}"`,
    });
  }
  return warnings;
}
