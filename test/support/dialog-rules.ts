import { readFileSync } from "node:fs";
import { exampleConfigPath, parseConfigFile } from "../../src/config/load-config.js";
import type { DecisionContext, DialogRules } from "../../src/domain/order-dialog.js";
import { dialogSettingsFrom } from "../../src/config/dialog-settings-snapshot.js";
import { dialogRules } from "../../src/services/dialog-settings.js";

/** The rules of the shipped example config (courier, pickup, post; substitutes up to +20 %). */
export function exampleRules(overrides: Partial<DialogRules> = {}): DialogRules {
  const config = parseConfigFile(readFileSync(exampleConfigPath, "utf8"), "example");
  return { ...dialogRules(dialogSettingsFrom(config)), ...overrides };
}

/** A decision context at a fixed moment: Monday 23 November 2026, 10:00 in Berlin. */
export function decisionContext(overrides: Partial<DialogRules> = {}, now = new Date("2026-11-23T09:00:00Z")): DecisionContext {
  return { rules: exampleRules(overrides), now };
}
