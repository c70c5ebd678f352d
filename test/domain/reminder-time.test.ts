import { describe, expect, it } from "vitest";
import { lastContactTimeBefore, type ContactHours } from "../../src/domain/contact-hours.js";
import { reminderTime } from "../../src/domain/reminder-time.js";

const everyDay: ContactHours = { days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], openMinute: 9 * 60, closeMinute: 21 * 60 };
const weekdaysOnly: ContactHours = { ...everyDay, days: ["mon", "tue", "wed", "thu", "fri"] };
const berlin = "Europe/Berlin"; // UTC+1 in December
const at = (iso: string) => new Date(iso);

describe("lastContactTimeBefore", () => {
  it("should keep a moment within contact hours", () => {
    expect(lastContactTimeBefore(at("2026-12-02T12:00:00Z"), everyDay, berlin)).toEqual(at("2026-12-02T12:00:00Z"));
  });

  it("should move an early-morning moment to an hour before closing the evening before", () => {
    // 07:00 Thursday in Berlin → 20:00 Wednesday.
    expect(lastContactTimeBefore(at("2026-12-03T06:00:00Z"), everyDay, berlin)).toEqual(at("2026-12-02T19:00:00Z"));
  });

  it("should skip days without contact hours", () => {
    // 07:00 Monday 7 December → 20:00 Friday 4 December.
    expect(lastContactTimeBefore(at("2026-12-07T06:00:00Z"), weekdaysOnly, berlin)).toEqual(at("2026-12-04T19:00:00Z"));
  });

  it("should stay within a stretch shorter than the margin", () => {
    const shortDay: ContactHours = { ...everyDay, openMinute: 20 * 60 + 30, closeMinute: 21 * 60 };
    expect(lastContactTimeBefore(at("2026-12-03T06:00:00Z"), shortDay, berlin)).toEqual(at("2026-12-02T19:30:00Z"));
  });
});

describe("reminderTime", () => {
  const windowAt10 = at("2026-12-03T09:00:00Z"); // Thursday 10:00 in Berlin

  it("should remind the agreed hours before a window that starts well within contact hours", () => {
    const windowAt14 = at("2026-12-03T13:00:00Z");
    expect(
      reminderTime({ windowStart: windowAt14, hoursBefore: 3, now: at("2026-12-01T10:00:00Z"), hours: everyDay, timeZone: berlin }),
    ).toEqual(at("2026-12-03T10:00:00Z"));
  });

  it("should move a reminder that falls in quiet hours to the evening before, not to opening", () => {
    // 3 hours before 10:00 is 07:00: quiet. Waiting for 09:00 would leave one hour; the evening before leaves 14.
    expect(
      reminderTime({ windowStart: windowAt10, hoursBefore: 3, now: at("2026-12-01T10:00:00Z"), hours: everyDay, timeZone: berlin }),
    ).toEqual(at("2026-12-02T19:00:00Z"));
  });

  it("should remind at once when planned after its moment but within contact hours", () => {
    const now = at("2026-12-03T08:30:00Z"); // 09:30 Thursday, window at 10:00
    expect(reminderTime({ windowStart: windowAt10, hoursBefore: 3, now, hours: everyDay, timeZone: berlin })).toEqual(now);
  });

  it("should remind at opening when planned at night and the window starts after it", () => {
    expect(
      reminderTime({ windowStart: windowAt10, hoursBefore: 3, now: at("2026-12-02T23:00:00Z"), hours: everyDay, timeZone: berlin }),
    ).toEqual(at("2026-12-03T08:00:00Z"));
  });

  it("should give up when no contact time is left before the window", () => {
    const windowAt8 = at("2026-12-03T07:00:00Z"); // 08:00, before opening
    expect(
      reminderTime({ windowStart: windowAt8, hoursBefore: 3, now: at("2026-12-02T23:00:00Z"), hours: everyDay, timeZone: berlin }),
    ).toBeNull();
  });
});
