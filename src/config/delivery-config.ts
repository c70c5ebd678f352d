import { z } from "zod";
import { isKnownCurrency, parseMoney } from "../domain/money.js";

/**
 * How the shop delivers (config key `delivery`) and what it accepts in place of missing items
 * (`substitutes`). Amounts are decimal strings in `delivery.currency`; an order in another
 * currency shows its delivery price as "on request" rather than a wrong number.
 */

const amount = z.string().regex(/^\d{1,12}(\.\d{1,3})?$/, { error: 'an amount such as "4.90"' });
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'a time such as "12:00"' });
const windowText = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { error: 'a window such as "10:00-14:00"' });
export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

const courierSchema = z.strictObject({
  enabled: z.boolean().default(true),
  price: amount.default("4.90"),
  /** Free delivery when the items cost at least this much; null: never free. */
  freeFrom: amount.nullable().default("50.00"),
  /** Zones with their own price, chosen by the customer; empty: one price everywhere. */
  zones: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[a-z0-9_]{1,16}$/),
        name: z.string().min(1).max(40),
        price: amount,
        freeFrom: amount.nullable().optional(),
      }),
    )
    .default([]),
  /** How many delivery days are offered (working days only). */
  days: z.int().min(1).max(14).default(5),
  /** Same-day delivery for choices made before this local time; null: never the same day. */
  sameDayCutoff: localTime.nullable().default("11:00"),
  daysOff: z.array(z.enum(weekdays)).default(["sun"]),
  /** Dates without delivery (YYYY-MM-DD), e.g. public holidays. */
  holidays: z.array(z.iso.date()).default([]),
  /** Time windows of a delivery day and how many orders each can take. */
  windows: z
    .array(z.strictObject({ window: windowText, capacity: z.int().min(1).max(10_000) }))
    .min(1)
    .default([
      { window: "10:00-14:00", capacity: 10 },
      { window: "14:00-18:00", capacity: 10 },
      { window: "18:00-21:00", capacity: 5 },
    ]),
});

const pickupSchema = z.strictObject({
  enabled: z.boolean().default(true),
  price: amount.default("0"),
  freeFrom: amount.nullable().default(null),
  points: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9_-]{1,24}$/),
        name: z.string().min(1).max(60),
        address: z.string().min(1).max(200),
        /** Opening hours as the customer should read them. */
        hours: z.string().min(1).max(100),
      }),
    )
    // None by default: a shop that has not named its points must not be offered a made-up one.
    // Without points, pickup is not offered.
    .default([]),
});

const postSchema = z.strictObject({
  enabled: z.boolean().default(true),
  price: amount.default("3.50"),
  freeFrom: amount.nullable().default(null),
  /** Working days the post usually takes, shown to the customer. */
  estimateDays: z.strictObject({ min: z.int().min(1).max(60), max: z.int().min(1).max(90) }).default({ min: 3, max: 5 }),
});

export const deliveryConfigSchema = z.strictObject({
  /** ISO 4217: it decides how many decimals the amounts below may have (EUR 2, JPY 0, KWD 3). */
  currency: z.string().refine(isKnownCurrency, { error: "an ISO 4217 currency code such as EUR" }).default("EUR"),
  courier: courierSchema.default(() => courierSchema.parse({})),
  pickup: pickupSchema.default(() => pickupSchema.parse({})),
  post: postSchema.default(() => postSchema.parse({})),
});

export const substitutesConfigSchema = z.strictObject({
  /** Whether a substitute may cost more than the item it replaces. */
  allowMoreExpensive: z.boolean().default(true),
  /** The most a substitute may cost above the original, per unit: an amount, a percentage, or both (the stricter wins). */
  maxIncrease: z.strictObject({ amount: amount.optional(), percent: z.number().min(0).max(1000).optional() }).default({ percent: 20 }),
  /** Offer to take the part that is in stock when not all of it is. */
  offerPartial: z.boolean().default(true),
});

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;
export type SubstitutesConfig = z.infer<typeof substitutesConfigSchema>;

/**
 * Amounts with more decimals than `delivery.currency` has ("4.999" in EUR): each with its key
 * path. The dialog works out prices in the currency's minor units and could not use them, so they
 * are refused when the file is read, not when a customer is choosing delivery.
 */
export function amountProblems(file: unknown): Array<{ path: Array<string | number>; message: string }> {
  const config = asRecord(file) ?? {};
  const delivery = asRecord(config.delivery);
  const currency = typeof delivery?.currency === "string" && isKnownCurrency(delivery.currency) ? delivery.currency : null;
  if (!currency) return [];
  const amounts: Array<[Array<string | number>, unknown]> = [];
  for (const method of ["courier", "pickup", "post"] as const) {
    const section = asRecord(delivery?.[method]);
    amounts.push([["delivery", method, "price"], section?.price], [["delivery", method, "freeFrom"], section?.freeFrom]);
  }
  const zones = asRecord(delivery?.courier)?.zones;
  if (Array.isArray(zones)) {
    zones.forEach((zone, index) => {
      amounts.push(
        [["delivery", "courier", "zones", index, "price"], asRecord(zone)?.price],
        [["delivery", "courier", "zones", index, "freeFrom"], asRecord(zone)?.freeFrom],
      );
    });
  }
  amounts.push([["substitutes", "maxIncrease", "amount"], asRecord(asRecord(config.substitutes)?.maxIncrease)?.amount]);
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  for (const [path, value] of amounts) {
    if (typeof value !== "string") continue;
    const parsed = parseMoney(value, currency);
    // A default amount the file leaves out is named by its key too (e.g. "4.90" with JPY).
    if (!parsed.ok) problems.push({ path, message: `"${value}": ${parsed.reason} (delivery.currency is ${currency})` });
  }
  return problems;
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
