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
