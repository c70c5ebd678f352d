import { localDate } from "./contact-hours.js";
import { addDays } from "./delivery-options.js";

/**
 * How far from today the shop may put a delivery date (an order's delivery date, a status's
 * expected date, how long a pickup point keeps the parcel), in days, in the shop's time zone.
 *
 * A year ahead: the longest preorder or made-to-order wait a shop promises in a chat; anything
 * further (9999-12-31, 2206 for 2026) is a placeholder or a typo that the customer would be
 * read and asked to confirm. A week back: a status the shop's system posts late, or a date
 * computed in another time zone, is still honest news; an older date is garbage (0001-01-01).
 * A date that has just passed is handled where it is used (the chat asks for another day).
 */
export const dateHorizon = { daysBack: 7, daysAhead: 366 } as const;

/** A date outside the horizon around `now`, with its path; none when every date is inside. */
export function dateHorizonProblems(
  dates: ReadonlyArray<{ path: string; date: string | undefined }>,
  now: Date,
  timeZone: string,
): Array<{ path: string; message: string }> {
  const today = localDate(now, timeZone);
  const earliest = addDays(today, -dateHorizon.daysBack);
  const latest = addDays(today, dateHorizon.daysAhead);
  return dates
    .filter((entry): entry is { path: string; date: string } => entry.date !== undefined && (entry.date < earliest || entry.date > latest))
    .map(({ path }) => ({ path, message: `a date from ${earliest} to ${latest} (a week back to a year ahead, in the shop's time zone)` }));
}
