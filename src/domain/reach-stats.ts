/**
 * How well the shop reaches its customers (rule 1: a new order is confirmed within the hour):
 * of the orders created in a period, how many were linked to a chat and by which way, read back
 * and confirmed, and the median minutes from creation to the first read-back and to confirmation.
 */

/** How an order came to have a chat: the ways in that linking offers, or a chat the bot knew already. */
export const linkWays = ["start_link", "shared_phone", "telegram_user_id", "known_chat"] as const;
export type LinkWay = (typeof linkWays)[number];

export interface OrderReachFacts {
  createdAt: Date;
  linkedHow: LinkWay | null;
  firstReadBackAt: Date | null;
  confirmedAt: Date | null;
}

export interface ReachStats {
  created: number;
  linked: number;
  linkedBy: Record<LinkWay, number>;
  readBack: number;
  confirmed: number;
  medianMinutesToReadBack: number | null;
  medianMinutesToConfirmation: number | null;
}

/** The median, to a tenth; null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10) / 10;
}

const minutesBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / 60_000;

export function reachStats(orders: readonly OrderReachFacts[]): ReachStats {
  const linkedBy = Object.fromEntries(linkWays.map((way) => [way, 0])) as Record<LinkWay, number>;
  for (const order of orders) if (order.linkedHow) linkedBy[order.linkedHow]++;
  const readBack = orders.filter((o) => o.firstReadBackAt !== null);
  const confirmed = orders.filter((o) => o.confirmedAt !== null);
  return {
    created: orders.length,
    linked: orders.filter((o) => o.linkedHow !== null).length,
    linkedBy,
    readBack: readBack.length,
    confirmed: confirmed.length,
    medianMinutesToReadBack: median(readBack.map((o) => minutesBetween(o.createdAt, o.firstReadBackAt!))),
    medianMinutesToConfirmation: median(confirmed.map((o) => minutesBetween(o.createdAt, o.confirmedAt!))),
  };
}
