import { dialogSettingsFrom, type DialogSettings } from "../config/dialog-settings-snapshot.js";
import type { OrderRecord } from "../db/order-repository.js";
import type { DeliveryRules, PriceRule } from "../domain/delivery-options.js";
import { parseMoney } from "../domain/money.js";
import type { DialogRules } from "../domain/order-dialog.js";
import type { SubstituteRules } from "../domain/substitutes.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/** Orders already warned about: the warning is for the operator, once, not on every tap. */
const warnedOrders = new Set<string>();
const maxWarnedOrders = 1_000;

/**
 * The settings an order's dialog runs on: the snapshot it started with (parsed once, by the
 * repository), or, when that no longer parses (an older shape), today's configuration, with a
 * warning the first time this process meets the order.
 */
export function dialogSettingsOf(
  record: Pick<OrderRecord, "order" | "dialog">,
  deps: Pick<ServiceDependencies, "config" | "logger">,
): DialogSettings {
  if (record.dialog.settings) return record.dialog.settings;
  const orderId = record.order.id;
  if (!warnedOrders.has(orderId)) {
    if (warnedOrders.size >= maxWarnedOrders) warnedOrders.clear();
    warnedOrders.add(orderId);
    deps.logger.warn(
      { orderId },
      "the order's dialog snapshot no longer parses (an older shape): the dialog follows today's configuration",
    );
  }
  return dialogSettingsFrom(deps.config());
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
