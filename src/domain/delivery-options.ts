/**
 * What delivery the shop can offer at a given moment: working days after the same-day cut-off,
 * time windows, pickup points, prices with a "free from" threshold. Pure: the caller passes `now`
 * and the shop's time zone, and the booked counts of windows.
 */
import { dateTimeFormat } from "../shared/intl-formats.js";

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
export type DeliveryMethod = "courier" | "pickup" | "post";

export interface PriceRule {
  priceMinor: bigint;
  /** Free when the items cost at least this; null: never free. */
  freeFromMinor: bigint | null;
}

export interface CourierRules extends PriceRule {
  enabled: boolean;
  zones: Array<{ code: string; name: string } & PriceRule>;
  days: number;
  sameDayCutoff: string | null;
  daysOff: Weekday[];
  holidays: string[];
  windows: Array<{ window: string; capacity: number }>;
}

export interface PickupPoint {
  id: string;
  name: string;
  address: string;
  hours: string;
}

export interface DeliveryRules {
  /** The currency of the prices; an order in another currency gets no price (on request). */
  currency: string;
  courier: CourierRules;
  pickup: PriceRule & { enabled: boolean; points: PickupPoint[] };
  post: PriceRule & { enabled: boolean; estimateDays: { min: number; max: number } };
}

const weekdayOrder: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The shop's local calendar date and time of day at `now`. */
export function localMoment(now: Date, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    dateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** Calendar arithmetic on YYYY-MM-DD, independent of any time zone. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const weekdayOf = (date: string): Weekday => weekdayOrder[new Date(`${date}T00:00:00Z`).getUTCDay()]!;

/**
 * The delivery days to offer: today when it is before the same-day cut-off, then the following
 * days, skipping days off and holidays, `days` of them.
 */
export function deliveryDays(now: Date, timeZone: string, courier: CourierRules): string[] {
  const { date: today, time } = localMoment(now, timeZone);
  const sameDay = courier.sameDayCutoff !== null && time < courier.sameDayCutoff;
  const days: string[] = [];
  for (let offset = sameDay ? 0 : 1; days.length < courier.days && offset < 90; offset++) {
    const date = addDays(today, offset);
    if (courier.daysOff.includes(weekdayOf(date)) || courier.holidays.includes(date)) continue;
    days.push(date);
  }
  return days;
}

/**
 * Whether a courier can still come on `date` in `window` (e.g. "10:00-14:00"): a later day, or
 * today before the window starts. A window that has begun is not offered any more, nor kept.
 */
export function windowAhead(date: string, window: string, now: Date, timeZone: string): boolean {
  const { date: today, time } = localMoment(now, timeZone);
  if (date !== today) return date > today;
  const start = /^(\d{2}:\d{2})/.exec(window)?.[1];
  return start === undefined || time < start;
}

/**
 * Windows of a day to offer: not begun yet, with places left, given how many orders each already
 * holds ("date|window" → count).
 */
export function openWindows(
  courier: CourierRules,
  date: string,
  booked: ReadonlyMap<string, number>,
  now: Date,
  timeZone: string,
): string[] {
  return courier.windows
    .filter((w) => windowAhead(date, w.window, now, timeZone) && (booked.get(`${date}|${w.window}`) ?? 0) < w.capacity)
    .map((w) => w.window);
}

/** What delivery costs for items worth `itemsMinor` (free from the threshold). */
export const priceFor = (rule: PriceRule, itemsMinor: bigint): bigint =>
  rule.freeFromMinor !== null && itemsMinor >= rule.freeFromMinor ? 0n : rule.priceMinor;

export function methodPriceRule(rules: DeliveryRules, method: string, zone: string | null | undefined): PriceRule | null {
  switch (method) {
    case "courier":
      return rules.courier.zones.find((z) => z.code === zone) ?? rules.courier;
    case "pickup":
      return rules.pickup;
    case "post":
      return rules.post;
    default:
      return null;
  }
}

export const enabledMethods = (rules: DeliveryRules): DeliveryMethod[] =>
  (["courier", "pickup", "post"] as const).filter((m) => rules[m].enabled && (m !== "pickup" || rules.pickup.points.length > 0));
