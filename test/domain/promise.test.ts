import { describe, expect, it } from "vitest";
import { judgeNewDate, relativeDay, workingDaysAfter } from "../../src/domain/promise.js";

const promise = { dueDate: "2026-12-05", deadline: new Date("2026-12-05T19:00:00Z") };

describe("judgeNewDate", () => {
  it.each([
    ["the same date", "2026-12-05", "2026-12-01T10:00:00Z", "unchanged"],
    ["a later date before the old one was due", "2026-12-07", "2026-12-02T10:00:00Z", "moved"],
    ["an earlier date before the old one was due", "2026-12-04", "2026-12-02T10:00:00Z", "earlier"],
    ["an earlier date after the deadline", "2026-12-04", "2026-12-06T10:00:00Z", "earlier"],
    ["a later date on the due day, within the grace", "2026-12-07", "2026-12-05T18:59:59Z", "moved"],
    ["a later date once the deadline has passed", "2026-12-07", "2026-12-05T19:00:00Z", "broken"],
  ])("should call %s %s", (_label, newDate, now, expected) => {
    expect(judgeNewDate(promise, newDate, new Date(now)).type).toBe(expected);
  });
});

describe("relativeDay", () => {
  it.each([
    ["2026-12-01", "past"],
    ["2026-12-02", "today"],
    ["2026-12-03", "tomorrow"],
    ["2026-12-04", "later"],
  ])("should call %s %s from 2 December", (date, expected) => {
    expect(relativeDay(date, "2026-12-02")).toBe(expected);
  });

  it("should count tomorrow across a month and a year", () => {
    expect(relativeDay("2027-01-01", "2026-12-31")).toBe("tomorrow");
  });
});

describe("workingDaysAfter", () => {
  it.each([
    ["Tuesday + 3 working days is Friday", "2026-12-01", 3, "2026-12-04"],
    ["Thursday + 3 working days skips the weekend", "2026-12-03", 3, "2026-12-08"],
    ["Saturday + 1 working day is Monday", "2026-12-05", 1, "2026-12-07"],
    ["Friday + 5 working days is the next Friday", "2026-12-04", 5, "2026-12-11"],
  ])("%s", (_label, from, days, expected) => {
    expect(workingDaysAfter(from, days)).toBe(expected);
  });
});
