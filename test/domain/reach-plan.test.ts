import { describe, expect, it } from "vitest";
import { afterContactMinutes, type ContactHours } from "../../src/domain/contact-hours.js";
import { reachPlan } from "../../src/domain/reach-plan.js";

const everyDay: ContactHours = { days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], openMinute: 9 * 60, closeMinute: 21 * 60 };
const weekdays: ContactHours = { ...everyDay, days: ["mon", "tue", "wed", "thu", "fri"] };
const berlin = "Europe/Berlin";
const at = (iso: string) => new Date(iso);
const defaults = { notifyShopAfterMinutes: 15, giveUpAfterHours: 48 };

describe("minutes of contact hours", () => {
  it("should count straight on within contact hours", () => {
    expect(afterContactMinutes(at("2026-11-24T09:00:00Z"), 15, everyDay, berlin)).toEqual(at("2026-11-24T09:15:00Z"));
  });

  it("should not count the night: from 02:30 they start at 09:00", () => {
    expect(afterContactMinutes(at("2026-11-24T01:30:00Z"), 15, everyDay, berlin)).toEqual(at("2026-11-24T08:15:00Z"));
  });

  it("should carry what is left at closing over to the next opening, and the closing minute is not open", () => {
    // 20:50 in Berlin: ten minutes today, five tomorrow from 09:00.
    expect(afterContactMinutes(at("2026-11-24T19:50:00Z"), 15, everyDay, berlin)).toEqual(at("2026-11-25T08:05:00Z"));
    expect(afterContactMinutes(at("2026-11-24T19:45:00Z"), 15, everyDay, berlin)).toEqual(at("2026-11-25T08:00:00Z"));
  });

  it("should skip days that are not contact days", () => {
    // Friday 27 November, 22:00 → Monday 30 November 09:15.
    expect(afterContactMinutes(at("2026-11-27T21:00:00Z"), 15, weekdays, berlin)).toEqual(at("2026-11-30T08:15:00Z"));
  });

  it("should span several open days for a long count", () => {
    // 13 hours from Tuesday 09:00: the 12 open hours of Tuesday, then one on Wednesday.
    expect(afterContactMinutes(at("2026-11-24T08:00:00Z"), 13 * 60, everyDay, berlin)).toEqual(at("2026-11-25T09:00:00Z"));
  });

  it("should have no answer when no day is a contact day", () => {
    expect(afterContactMinutes(at("2026-11-24T08:00:00Z"), 15, { ...everyDay, days: [] }, berlin)).toBeNull();
  });
});

describe("the reach plan of an order without a chat", () => {
  it("should tell the shop after 15 minutes, again after a day, and give up after two", () => {
    const plan = reachPlan(at("2026-11-24T09:00:00Z"), defaults, everyDay, berlin); // 10:00 in Berlin
    expect(plan.notices).toEqual([at("2026-11-24T09:15:00Z"), at("2026-11-25T09:00:00Z")]);
    expect(plan.giveUpAt).toEqual(at("2026-11-26T09:00:00Z"));
  });

  it("should wait for opening with each step of a night order", () => {
    const plan = reachPlan(at("2026-11-24T01:30:00Z"), defaults, everyDay, berlin); // 02:30 in Berlin
    expect(plan.notices).toEqual([at("2026-11-24T08:15:00Z"), at("2026-11-25T08:00:00Z")]);
    expect(plan.giveUpAt).toEqual(at("2026-11-26T08:00:00Z"));
  });

  it("should send one notice when halfway falls on the give-up itself", () => {
    // Friday 20:00 in Berlin: notice at 20:15; halfway (Saturday) and the give-up both move to Monday opening.
    const plan = reachPlan(at("2026-11-27T19:00:00Z"), { notifyShopAfterMinutes: 15, giveUpAfterHours: 24 }, weekdays, berlin);
    expect(plan.notices).toEqual([at("2026-11-27T19:15:00Z")]);
    expect(plan.giveUpAt).toEqual(at("2026-11-30T08:00:00Z"));
  });

  it("should never give up before the first notice has gone out", () => {
    // Friday 22:00, give up after an hour: the notice is due on Monday at 09:15, and so is the give-up.
    const plan = reachPlan(at("2026-11-27T21:00:00Z"), { notifyShopAfterMinutes: 15, giveUpAfterHours: 1 }, weekdays, berlin);
    expect(plan.notices).toEqual([at("2026-11-30T08:15:00Z")]);
    expect(plan.giveUpAt).toEqual(at("2026-11-30T08:15:00Z"));
  });
});
