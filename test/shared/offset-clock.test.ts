import { describe, expect, it } from "vitest";
import { OffsetClock } from "../../src/shared/clock.js";

describe("the sandbox clock (real time plus what was skipped)", () => {
  it("should run with real time and keep what was skipped", () => {
    let real = Date.parse("2026-11-23T09:00:00Z");
    const clock = new OffsetClock(() => real);
    expect(clock.now().toISOString()).toBe("2026-11-23T09:00:00.000Z");
    clock.advance(3_600_000);
    real += 60_000;
    expect(clock.now().toISOString()).toBe("2026-11-23T10:01:00.000Z");
    expect(clock.offsetMs).toBe(3_600_000);
  });

  it("should move forward to a moment, and never back", () => {
    const clock = new OffsetClock(() => Date.parse("2026-11-23T09:00:00Z"));
    expect(clock.advanceTo(new Date("2026-11-25T10:00:00Z")).toISOString()).toBe("2026-11-25T10:00:00.000Z");
    expect(clock.advanceTo(new Date("2026-11-24T00:00:00Z")).toISOString()).toBe("2026-11-25T10:00:00.000Z");
    expect(() => clock.advance(-1)).toThrow(/only moves forward/);
  });

  it("should start at a given moment and run on from there", () => {
    let real = Date.parse("2026-12-05T23:00:00Z");
    const clock = new OffsetClock(() => real, "2026-12-01T09:00:00Z");
    expect(clock.now().toISOString()).toBe("2026-12-01T09:00:00.000Z");
    real += 90_000;
    expect(clock.now().toISOString()).toBe("2026-12-01T09:01:30.000Z");
    clock.advance(3_600_000);
    expect(clock.now().toISOString()).toBe("2026-12-01T10:01:30.000Z");
  });
});
