/**
 * Contact hours (rule 2: common sense about time): when the bot may speak first, in the shop's
 * time zone. Pure functions over instants; the wall clock of the shop's zone is read with Intl,
 * so daylight-saving changes are handled by the platform's time-zone data.
 */

export const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof weekdays)[number];

export interface ContactHours {
  /** Days on which the bot may write first. */
  days: readonly Weekday[];
  /** Minutes after local midnight: the bot may write from `openMinute`... */
  openMinute: number;
  /** ...until before `closeMinute` (at most 1440, the end of the day). */
  closeMinute: number;
}

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  /** Minutes after local midnight. */
  minute: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock of `timeZone` at `instant`. */
export function localParts(instant: Date, timeZone: string): LocalParts & { second: number } {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    second: Number(parts.second),
    weekday: String(parts.weekday).toLowerCase().slice(0, 3) as Weekday,
  };
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetMs(instant: number, timeZone: string): number {
  const p = localParts(new Date(instant), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, 0, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the clocks of `timeZone` show `date` (YYYY-MM-DD) and `minute` after
 * midnight. A wall time skipped by a spring-forward change resolves to the instant just after the
 * gap (the same minute, one hour later); a wall time that happens twice (autumn) to the first one.
 */
export function zonedInstant(date: string, minute: number, timeZone: string): Date {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, 0, minute);
  // The offset an hour or so either side can differ; try the earlier one first (autumn: first).
  const before = wall - offsetMs(wall - dayMs / 2, timeZone);
  if (before - wall + offsetMs(before, timeZone) === 0) return new Date(before);
  const after = wall - offsetMs(wall + dayMs / 2, timeZone);
  if (after - wall + offsetMs(after, timeZone) === 0) return new Date(after);
  // In a gap: neither offset maps back; the wall time does not exist. Use the later offset's
  // reading of it shifted past the gap (e.g. 02:30 on a spring-forward night → 03:30).
  return new Date(wall - offsetMs(wall - dayMs / 2, timeZone));
}

/** YYYY-MM-DD of a local calendar day. */
const isoDate = (p: Pick<LocalParts, "year" | "month" | "day">): string =>
  `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;

/** The calendar day `n` days after `date` (YYYY-MM-DD), plus its weekday. */
function addDays(date: string, n: number): { date: string; weekday: Weekday } {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year, month - 1, day + n));
  return {
    date: isoDate({ year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }),
    weekday: weekdays[shifted.getUTCDay()]!,
  };
}

/** The local calendar day (YYYY-MM-DD) of `instant` in `timeZone`. */
export const localDate = (instant: Date, timeZone: string): string => isoDate(localParts(instant, timeZone));

export function isWithinContactHours(now: Date, hours: ContactHours, timeZone: string): boolean {
  const p = localParts(now, timeZone);
  return hours.days.includes(p.weekday) && p.minute >= hours.openMinute && p.minute < hours.closeMinute;
}

/**
 * The earliest moment from `now` at which the bot may write first: `now` itself within contact
 * hours, else the next opening. Null only when no day is a contact day.
 */
export function nextContactTime(now: Date, hours: ContactHours, timeZone: string): Date | null {
  if (hours.days.length === 0 || hours.openMinute >= hours.closeMinute) return null;
  if (isWithinContactHours(now, hours, timeZone)) return now;
  const today = localDate(now, timeZone);
  // Eight days cover a week of closed days after today; DST never moves a day by more than hours.
  for (let n = 0; n <= 8; n++) {
    const day = addDays(today, n);
    if (!hours.days.includes(day.weekday)) continue;
    const opening = zonedInstant(day.date, hours.openMinute, timeZone);
    if (opening.getTime() > now.getTime()) return opening;
  }
  return null;
}

/**
 * The latest moment at or before `instant` at which the bot may write first: `instant` itself
 * within contact hours; else, in the last open stretch before it, `marginMinutes` before its
 * closing (so a message is not the last thing before the shop goes quiet), never before its
 * opening. Null only when no day is a contact day.
 */
export function lastContactTimeBefore(instant: Date, hours: ContactHours, timeZone: string, marginMinutes = 60): Date | null {
  if (hours.days.length === 0 || hours.openMinute >= hours.closeMinute) return null;
  if (isWithinContactHours(instant, hours, timeZone)) return instant;
  const today = localDate(instant, timeZone);
  for (let n = 0; n <= 8; n++) {
    const day = addDays(today, -n);
    if (!hours.days.includes(day.weekday)) continue;
    const closing = zonedInstant(day.date, hours.closeMinute, timeZone);
    if (closing.getTime() > instant.getTime()) continue;
    const opening = zonedInstant(day.date, hours.openMinute, timeZone);
    return new Date(Math.max(opening.getTime(), closing.getTime() - marginMinutes * minuteMs));
  }
  return null;
}

/**
 * The moment `minutes` of contact hours have passed since `start`: time outside contact hours
 * does not count, so 15 minutes from 20:50 (closing at 21:00) end at 09:05 the next open day.
 * Null only when no day is a contact day.
 */
export function afterContactMinutes(start: Date, minutes: number, hours: ContactHours, timeZone: string): Date | null {
  let at = start;
  let remainingMs = minutes * minuteMs;
  // Each pass uses up one open stretch; a fortnight of them is more than any setting needs.
  for (let pass = 0; pass < 400; pass++) {
    const open = nextContactTime(at, hours, timeZone);
    if (!open) return null;
    const closing = zonedInstant(localDate(open, timeZone), hours.closeMinute, timeZone);
    const availableMs = closing.getTime() - open.getTime();
    // Strictly less: the closing minute itself is outside contact hours.
    if (remainingMs < availableMs) return new Date(open.getTime() + remainingMs);
    remainingMs -= availableMs;
    at = closing;
  }
  return null;
}

/**
 * When the first message about something that happened outside contact hours goes out: not at
 * the stroke of opening, when every night order would land at once and read like a machine, but
 * spread over `spreadMinutes` after it. The offset is derived from `seed` (the order id), so it
 * is stable across retries and restarts. Within contact hours: `now`.
 */
export function firstContactTime(now: Date, hours: ContactHours, timeZone: string, spreadMinutes: number, seed: string): Date | null {
  const next = nextContactTime(now, hours, timeZone);
  if (!next || next.getTime() === now.getTime() || spreadMinutes <= 0) return next;
  // 1..spread minutes after opening (never at the stroke of it), and never past closing time.
  const room = Math.max(0, Math.min(spreadMinutes, hours.closeMinute - hours.openMinute - 1));
  const offsetMinutes = room === 0 ? 0 : 1 + (stableHash(seed) % room);
  return new Date(next.getTime() + offsetMinutes * minuteMs);
}

/** FNV-1a: a small, stable, well-spread hash of a string. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** "09:30" → 570; "24:00" → 1440. */
export function parseClockTime(text: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute <= 1440 ? minute : null;
}

/** "10:00-14:00" → { start: 600, end: 840 }; null for anything else. */
export function parseTimeWindow(window: string | null | undefined): { start: number; end: number } | null {
  if (!window) return null;
  const [from, to] = window.split("-");
  const start = from === undefined ? null : parseClockTime(from.trim());
  const end = to === undefined ? null : parseClockTime(to.trim());
  return start === null || end === null ? null : { start, end };
}
