import { describe, expect, it } from "vitest";
import { judgeNewDate } from "../../src/domain/promise.js";

const promise = { dueDate: "2026-12-05", deadline: new Date("2026-12-05T19:00:00Z") };

describe("judgeNewDate", () => {
  it.each([
    ["the same date", "2026-12-05", "2026-12-01T10:00:00Z", "unchanged"],
    ["a later date before the old one was due", "2026-12-07", "2026-12-02T10:00:00Z", "moved"],
    ["an earlier date before the old one was due", "2026-12-04", "2026-12-02T10:00:00Z", "moved"],
    ["a later date on the due day, within the grace", "2026-12-07", "2026-12-05T18:59:59Z", "moved"],
    ["a later date once the deadline has passed", "2026-12-07", "2026-12-05T19:00:00Z", "broken"],
  ])("should call %s %s", (_label, newDate, now, expected) => {
    expect(judgeNewDate(promise, newDate, new Date(now)).type).toBe(expected);
  });
});
