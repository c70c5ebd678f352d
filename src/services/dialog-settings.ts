import { z } from "zod";
import { dialogSteps, readBackButtons, type ConfigFile } from "../config/config-schema.js";
import { deliveryConfigSchema, substitutesConfigSchema } from "../config/delivery-config.js";
import type { DeliveryRules, PriceRule } from "../domain/delivery-options.js";
import { parseMoney } from "../domain/money.js";
import type { DialogRules } from "../domain/order-dialog.js";
import type { SubstituteRules } from "../domain/substitutes.js";

/**
 * The part of the configuration an order dialog keeps from the moment it starts, so an owner's
 * edit (a reason removed, a window closed) does not break a dialog already under way.
 * Versioned: a snapshot of an older shape is replaced by today's configuration rather than
 * crashing a dialog.
 */
const cancelReasonSnapshot = z.union([
  z.string(),
  z.object({ code: z.string(), label: z.record(z.string(), z.string()) }),
]);

export const dialogSettingsSchema = z.object({
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
 * had, and checking one with zod on every tap was a visible share of a step's CPU. The settings
 * returned are shared: treat them as read-only.
 */
const readSnapshots = new Map<string, DialogSettings>();
const maxReadSnapshots = 64;

/** Reads a stored snapshot; one that no longer parses falls back to today's configuration. */
export function readDialogSettings(snapshot: unknown, current: ConfigFile): DialogSettings {
  const key = JSON.stringify(snapshot);
  const known = readSnapshots.get(key);
  if (known) return known;
  const parsed = dialogSettingsSchema.safeParse(snapshot);
  if (!parsed.success) return dialogSettingsFrom(current);
  if (readSnapshots.size >= maxReadSnapshots) readSnapshots.delete(readSnapshots.keys().next().value!);
  readSnapshots.set(key, parsed.data);
  return parsed.data;
}

export const cancelReasonCodes = (settings: DialogSettings): string[] =>
  settings.cancelReasons.map((reason) => (typeof reason === "string" ? reason : reason.code));

/** Config amounts are decimal strings in the delivery currency; the domain counts minor units. */
function minor(amount: string, currency: string): bigint {
  const parsed = parseMoney(amount, currency);
  if (!parsed.ok) throw new Error(`config amount ${amount} ${currency}: ${parsed.reason}`);
  return parsed.minor;
}

function priceRule(rule: { price: string; freeFrom?: string | null | undefined }, currency: string): PriceRule {
  return { priceMinor: minor(rule.price, currency), freeFromMinor: rule.freeFrom ? minor(rule.freeFrom, currency) : null };
}

const rulesOf = new WeakMap<DialogSettings, DialogRules>();

/** The rules the order dialog decides by, from a dialog's settings (worked out once per settings). */
export function dialogRules(settings: DialogSettings): DialogRules {
  let rules = rulesOf.get(settings);
  if (!rules) {
    rules = rulesFrom(settings);
    rulesOf.set(settings, rules);
  }
  return rules;
}

function rulesFrom(settings: DialogSettings): DialogRules {
  const { delivery, substitutes } = settings;
  const currency = delivery.currency;
  const deliveryRules: DeliveryRules = {
    currency,
    courier: {
      ...delivery.courier,
      ...priceRule(delivery.courier, currency),
      zones: delivery.courier.zones.map((zone) => ({ code: zone.code, name: zone.name, ...priceRule(zone, currency) })),
    },
    pickup: { enabled: delivery.pickup.enabled, points: delivery.pickup.points, ...priceRule(delivery.pickup, currency) },
    post: { enabled: delivery.post.enabled, estimateDays: delivery.post.estimateDays, ...priceRule(delivery.post, currency) },
  };
  const substituteRules: SubstituteRules = {
    allowMoreExpensive: substitutes.allowMoreExpensive,
    maxIncreaseMinor: substitutes.maxIncrease.amount ? minor(substitutes.maxIncrease.amount, currency) : null,
    maxIncreaseCurrency: substitutes.maxIncrease.amount ? currency : null,
    maxIncreasePercent: substitutes.maxIncrease.percent ?? null,
    offerPartial: substitutes.offerPartial,
  };
  return {
    cancelReasons: cancelReasonCodes(settings),
    steps: settings.steps,
    delivery: deliveryRules,
    substitutes: substituteRules,
    timeZone: settings.timeZone,
  };
}
