import { describe, expect, it } from "vitest";
import { deliveryDays, localMoment, openWindows, priceFor, windowAhead } from "../../src/domain/delivery-options.js";
import { exampleRules } from "../support/dialog-rules.js";

const courier = exampleRules().delivery.courier;
const berlin = "Europe/Berlin";

describe("delivery days", () => {
  it("offers today before the same-day cut-off, local time", () => {
    // Monday 10:59 in Berlin (09:59 UTC); cut-off 11:00
    expect(deliveryDays(new Date("2026-11-23T09:59:00Z"), berlin, courier)).toEqual([
      "2026-11-23",
      "2026-11-24",
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
    ]);
  });

  it("starts tomorrow after the cut-off, and skips days off and holidays", () => {
    const rules = { ...courier, daysOff: ["sat", "sun"] as const, holidays: ["2026-11-25"] };
    expect(deliveryDays(new Date("2026-11-23T10:00:00Z"), berlin, { ...rules, daysOff: [...rules.daysOff] })).toEqual([
      "2026-11-24",
      "2026-11-26",
      "2026-11-27",
      "2026-11-30",
      "2026-12-01",
    ]);
  });

  it("uses the shop's calendar day, not UTC's, around midnight", () => {
    // 23:30 UTC on Sunday is already Monday 00:30 in Berlin
    expect(localMoment(new Date("2026-11-22T23:30:00Z"), berlin)).toEqual({ date: "2026-11-23", time: "00:30" });
    expect(deliveryDays(new Date("2026-11-22T23:30:00Z"), berlin, courier)[0]).toBe("2026-11-23");
  });

  it("never offers a same day when the shop has no cut-off", () => {
    expect(deliveryDays(new Date("2026-11-23T06:00:00Z"), berlin, { ...courier, sameDayCutoff: null })[0]).toBe("2026-11-24");
  });
});

describe("windows and prices", () => {
  it("hides full windows", () => {
    const booked = new Map([
      ["2026-11-24|10:00-14:00", 10],
      ["2026-11-24|14:00-18:00", 9],
    ]);
    expect(openWindows(courier, "2026-11-24", booked, new Date("2026-11-23T12:00:00Z"), berlin)).toEqual(["14:00-18:00", "18:00-21:00"]);
  });

  it("offers today only the windows that have not begun", () => {
    // 10:30 in Berlin: 10:00-14:00 has begun, 14:00-18:00 has not.
    const now = new Date("2026-11-24T09:30:00Z");
    expect(openWindows(courier, "2026-11-24", new Map(), now, berlin)).toEqual(["14:00-18:00", "18:00-21:00"]);
    expect(openWindows(courier, "2026-11-25", new Map(), now, berlin)).toEqual(["10:00-14:00", "14:00-18:00", "18:00-21:00"]);
    expect(windowAhead("2026-11-23", "18:00-21:00", now, berlin)).toBe(false);
  });

  it("makes delivery free from the threshold", () => {
    expect(priceFor({ priceMinor: 490n, freeFromMinor: 5000n }, 4999n)).toBe(490n);
    expect(priceFor({ priceMinor: 490n, freeFromMinor: 5000n }, 5000n)).toBe(0n);
    expect(priceFor({ priceMinor: 350n, freeFromMinor: null }, 999_999n)).toBe(350n);
  });
});
