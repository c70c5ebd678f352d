import { describe, expect, it } from "vitest";
import {
  firstContactTime,
  isWithinContactHours,
  nextContactTime,
  parseTimeWindow,
  zonedInstant,
  type ContactHours,
} from "../../src/domain/contact-hours.js";

const everyDay: ContactHours = { days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], openMinute: 9 * 60, closeMinute: 21 * 60 };
const berlin = "Europe/Berlin";
const at = (iso: string) => new Date(iso);

describe("contact hours", () => {
  it("should allow writing now within the hours, in the shop's time zone", () => {
    const now = at("2026-11-24T08:00:00Z"); // 09:00 in Berlin (UTC+1)
    expect(isWithinContactHours(now, everyDay, berlin)).toBe(true);
    expect(nextContactTime(now, everyDay, berlin)).toEqual(now);
    expect(isWithinContactHours(at("2026-11-24T07:59:59Z"), everyDay, berlin)).toBe(false);
    expect(isWithinContactHours(at("2026-11-24T20:00:00Z"), everyDay, berlin)).toBe(false); // 21:00: closed
  });

  it("should wait from the night until opening the same morning, and from the evening until the next one", () => {
    expect(nextContactTime(at("2026-11-24T01:30:00Z"), everyDay, berlin)).toEqual(at("2026-11-24T08:00:00Z"));
    expect(nextContactTime(at("2026-11-24T21:15:00Z"), everyDay, berlin)).toEqual(at("2026-11-25T08:00:00Z"));
  });

  it("should skip days that are not contact days", () => {
    const weekdays: ContactHours = { ...everyDay, days: ["mon", "tue", "wed", "thu", "fri"] };
    // Friday 27 November 2026, 22:00 in Berlin → Monday 30 November, 09:00.
    expect(nextContactTime(at("2026-11-27T21:00:00Z"), weekdays, berlin)).toEqual(at("2026-11-30T08:00:00Z"));
    expect(nextContactTime(at("2026-11-28T12:00:00Z"), weekdays, berlin)).toEqual(at("2026-11-30T08:00:00Z"));
  });

  it("should open at 09:00 local time on both sides of a daylight-saving change", () => {
    // Berlin springs forward on 29 March 2026 (02:00 → 03:00) and falls back on 25 October 2026.
    expect(nextContactTime(at("2026-03-29T00:30:00Z"), everyDay, berlin)).toEqual(at("2026-03-29T07:00:00Z")); // 09:00 CEST
    expect(nextContactTime(at("2026-03-28T21:00:00Z"), everyDay, berlin)).toEqual(at("2026-03-29T07:00:00Z"));
    expect(nextContactTime(at("2026-10-24T20:30:00Z"), everyDay, berlin)).toEqual(at("2026-10-25T08:00:00Z")); // 09:00 CET
    // New York changes on other dates (8 March 2026).
    expect(nextContactTime(at("2026-03-08T05:00:00Z"), everyDay, "America/New_York")).toEqual(at("2026-03-08T13:00:00Z")); // 09:00 EDT
  });

  it("should resolve a wall time skipped by spring-forward to just after the gap, and a repeated one to its first occurrence", () => {
    expect(zonedInstant("2026-03-29", 2 * 60 + 30, berlin)).toEqual(at("2026-03-29T01:30:00Z")); // 03:30 CEST
    expect(zonedInstant("2026-10-25", 2 * 60 + 30, berlin)).toEqual(at("2026-10-25T00:30:00Z")); // 02:30 CEST, the first one
    expect(zonedInstant("2026-11-26", 14 * 60, berlin)).toEqual(at("2026-11-26T13:00:00Z"));
    expect(zonedInstant("2026-11-26", 24 * 60, "Asia/Kolkata")).toEqual(at("2026-11-26T18:30:00Z"));
  });

  it("should spread the first message of a night order after opening, the same way for the same order", () => {
    const night = at("2026-11-24T01:30:00Z");
    const opening = at("2026-11-24T08:00:00Z").getTime();
    const times = Array.from({ length: 50 }, (_, i) => firstContactTime(night, everyDay, berlin, 30, `order-${i}`)!.getTime());
    for (const time of times) {
      expect(time).toBeGreaterThan(opening);
      expect(time).toBeLessThanOrEqual(opening + 30 * 60_000);
      expect(time % 60_000).toBe(0);
    }
    expect(new Set(times).size).toBeGreaterThan(10);
    expect(firstContactTime(night, everyDay, berlin, 30, "order-7")).toEqual(firstContactTime(night, everyDay, berlin, 30, "order-7"));
    // Within contact hours: at once, no spread.
    const day = at("2026-11-24T12:00:00Z");
    expect(firstContactTime(day, everyDay, berlin, 30, "order-1")).toEqual(day);
    // Spread 0: at opening.
    expect(firstContactTime(night, everyDay, berlin, 0, "order-1")).toEqual(new Date(opening));
  });

  it("should read delivery windows", () => {
    expect(parseTimeWindow("10:00-14:00")).toEqual({ start: 600, end: 840 });
    expect(parseTimeWindow("18:00-24:00")).toEqual({ start: 1080, end: 1440 });
    expect(parseTimeWindow("morning")).toBeNull();
    expect(parseTimeWindow(null)).toBeNull();
  });
});
