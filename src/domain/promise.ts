/**
 * What a newly announced delivery date means for the open promise, given now. A promise is broken
 * only once its deadline (end of its window or day, plus the grace) has passed without delivery;
 * a new date announced before that moves the promise, it does not break it.
 */
export type PromiseChange = { type: "unchanged" } | { type: "moved" } | { type: "broken" };

export function judgeNewDate(promise: { dueDate: string; deadline: Date }, newDate: string, now: Date): PromiseChange {
  if (newDate === promise.dueDate) return { type: "unchanged" };
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
  const next = new Date(`${today}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return date === next.toISOString().slice(0, 10) ? "tomorrow" : "later";
}
