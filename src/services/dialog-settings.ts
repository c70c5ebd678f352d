import { z } from "zod";
import type { ConfigFile } from "../config/config-schema.js";

/**
 * The part of the configuration an order dialog keeps from the moment it starts, so an owner's
 * edit (a reason removed, a step turned off) does not break a dialog already under way.
 * Versioned: a snapshot of an older shape is read with its defaults, never crashes a dialog.
 */
const cancelReasonSnapshot = z.union([
  z.string(),
  z.object({ code: z.string(), label: z.record(z.string(), z.string()) }),
]);

export const dialogSettingsSchema = z.object({
  version: z.literal(1),
  cancelReasons: z.array(cancelReasonSnapshot).min(1),
});

export type DialogSettings = z.infer<typeof dialogSettingsSchema>;

export const dialogSettingsFrom = (config: ConfigFile): DialogSettings => ({
  version: 1,
  cancelReasons: config.confirmation.cancelReasons,
});

/** Reads a stored snapshot; one that no longer parses falls back to today's configuration. */
export function readDialogSettings(snapshot: unknown, current: ConfigFile): DialogSettings {
  const parsed = dialogSettingsSchema.safeParse(snapshot);
  return parsed.success ? parsed.data : dialogSettingsFrom(current);
}

export const cancelReasonCodes = (settings: DialogSettings): string[] =>
  settings.cancelReasons.map((reason) => (typeof reason === "string" ? reason : reason.code));
