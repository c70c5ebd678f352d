// A promise is every date (or window on a date) the customer was told their order arrives by:
// the day and window they agreed in the dialog, the estimate the bot quoted for post, or a date
// the shop announced in a status update. It is recorded with its source and moment and ends
// kept (delivered in time), moved (a later date announced before it was due), or broken (its
// end plus the grace passed without delivery). Pure functions: what happens to a promise given
// a new date and the time, so the services only carry the verdict out.

/** Where a promised date came from. */
export type PromiseSource = "agreed" | "estimate" | "shop";

/**
 * What a newly announced delivery date means for the open promise, given now:
 * - `unchanged`: the same day;
 * - `earlier`: the parcel may come sooner; the promise still stands as made (it is kept when the
 *   parcel arrives by then; an earlier estimate is no new promise, so it cannot be broken);
 * - `moved`: a later date announced before the promise was due: told as a move, not an apology
 *   for a failure that has not happened;
 * - `broken`: the deadline (end of the window or day, plus the grace) has passed undelivered.
 */
export type PromiseChange = { type: "unchanged" } | { type: "earlier" } | { type: "moved" } | { type: "broken" };

export function judgeNewDate(promise: { dueDate: string; deadline: Date }, newDate: string, now: Date): PromiseChange {
  if (newDate === promise.dueDate) return { type: "unchanged" };
  if (newDate < promise.dueDate) return { type: "earlier" };
  return now.getTime() >= promise.deadline.getTime() ? { type: "broken" } : { type: "moved" };
}

/**
 * Where a calendar day stands from `today` (both ISO dates in the shop's time zone): what decides
 * "today", "tomorrow" or a date in a message, instead of a word fixed in the text.
 */
export type RelativeDay = "past" | "today" | "tomorrow" | "later";

export function relativeDay(date: string, today: string): RelativeDay {
  if (date < today) return "past";
  if (date === today) return "today";
  return date === addCalendarDays(today, 1) ? "tomorrow" : "later";
}

const addCalendarDays = (date: string, n: number): string => {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + n);
  return day.toISOString().slice(0, 10);
};

/**
 * The last day of "usually N working days" counted from `from` (ISO date, not itself counted):
 * the day an estimate quoted to the customer runs out. Saturdays and Sundays are not working days.
 */
export function workingDaysAfter(from: string, days: number): string {
  let date = from;
  for (let left = days; left > 0;) {
    date = addCalendarDays(date, 1);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return date;
}
