import { z } from "zod";
import { dialogSteps, readBackButtons, type ConfigFile } from "./config-schema.js";
import { deliveryConfigSchema, substitutesConfigSchema } from "./delivery-config.js";

/**
 * The part of the configuration an order dialog keeps from the moment it starts, so an owner's
 * edit (a reason removed, a window closed) does not break a dialog already under way.
 * Versioned: a snapshot of an older shape is replaced by today's configuration rather than
 * crashing a dialog (see services/dialog-settings.ts, dialogSettingsOf).
 */
const cancelReasonSnapshot = z.union([z.string(), z.object({ code: z.string(), label: z.record(z.string(), z.string()) })]);

const dialogSettingsSchema = z.object({
  version: z.literal(3),
  cancelReasons: z.array(cancelReasonSnapshot).min(1),
  steps: z.array(z.enum(dialogSteps)),
  buttons: z.array(z.enum(readBackButtons)),
  timeZone: z.string(),
  delivery: deliveryConfigSchema,
  substitutes: substitutesConfigSchema,
});

export type DialogSettings = z.infer<typeof dialogSettingsSchema>;

export const dialogSettingsFrom = (config: ConfigFile): DialogSettings => ({
  version: 3,
  cancelReasons: config.confirmation.cancelReasons,
  steps: config.confirmation.steps,
  buttons: config.confirmation.buttons,
  timeZone: config.shop.timeZone,
  delivery: config.delivery,
  substitutes: config.substitutes,
});

/**
 * Snapshots already read, by their JSON: most dialogs share the few configurations the shop has
 * had, and checking one with zod on every read was a visible share of a step's CPU. The settings
 * returned are shared: treat them as read-only.
 */
const readSnapshots = new Map<string, DialogSettings>();
const maxReadSnapshots = 64;

/** Reads a stored snapshot: null when it no longer parses (an older shape, or none). */
export function parseDialogSettings(snapshot: unknown): DialogSettings | null {
  const key = JSON.stringify(snapshot);
  const known = readSnapshots.get(key);
  if (known) return known;
  const parsed = dialogSettingsSchema.safeParse(snapshot);
  if (!parsed.success) return null;
  if (readSnapshots.size >= maxReadSnapshots) readSnapshots.delete(readSnapshots.keys().next().value!);
  readSnapshots.set(key, parsed.data);
  return parsed.data;
}
