import { isWithinContactHours, lastContactTimeBefore, nextContactTime, type ContactHours } from "./contact-hours.js";

const hourMs = 60 * 60_000;

/**
 * When the reminder of a delivery window goes out (rule 6: about `hoursBefore` hours before, with
 * the time). The bot writes first only within contact hours, and a reminder that waited for
 * opening could arrive after the courier: so a moment in quiet hours moves *earlier*, to the last
 * open stretch before it (the evening before a 10:00 window, reminded 3 hours ahead). Never before
 * `now`: a reminder planned late goes out at once, or at the next opening if that is still before
 * the window starts. Null: no moment before the window is left to remind in.
 */
export function reminderTime(input: {
  windowStart: Date;
  hoursBefore: number;
  now: Date;
  hours: ContactHours;
  timeZone: string;
}): Date | null {
  const { windowStart, now, hours, timeZone } = input;
  const ideal = new Date(windowStart.getTime() - input.hoursBefore * hourMs);
  const planned = isWithinContactHours(ideal, hours, timeZone) ? ideal : lastContactTimeBefore(ideal, hours, timeZone);
  if (planned && planned.getTime() >= now.getTime()) return planned;
  const soonest = nextContactTime(now, hours, timeZone);
  return soonest && soonest.getTime() < windowStart.getTime() ? soonest : null;
}
