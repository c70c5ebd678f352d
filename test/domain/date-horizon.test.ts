import { describe, expect, it } from "vitest";
import { dateHorizonProblems } from "../../src/domain/date-horizon.js";

// 00:30 on 1 January 2027 in Berlin, still 2026 in UTC: the shop's calendar decides.
const now = new Date("2026-12-31T23:30:00Z");
const problemsOf = (date: string) => dateHorizonProblems([{ path: "delivery.date", date }], now, "Europe/Berlin").map((p) => p.path);

describe("dateHorizonProblems", () => {
  it.each(["2026-12-25", "2027-01-01", "2028-01-02"])("should take %s, from a week back to a year ahead of the shop's today", (date) => {
    expect(problemsOf(date)).toEqual([]);
  });

  it.each(["2026-12-24", "2028-01-03", "9999-12-31", "0001-01-01"])("should refuse %s with its path", (date) => {
    expect(problemsOf(date)).toEqual(["delivery.date"]);
  });

  it("should say which dates it takes, and skip the dates not given", () => {
    const problems = dateHorizonProblems(
      [
        { path: "expectedDate", date: "9999-12-31" },
        { path: "pickup.storageUntil", date: undefined },
      ],
      now,
      "Europe/Berlin",
    );
    expect(problems).toEqual([
      { path: "expectedDate", message: "a date from 2026-12-25 to 2028-01-02 (a week back to a year ahead, in the shop's time zone)" },
    ]);
  });
});
