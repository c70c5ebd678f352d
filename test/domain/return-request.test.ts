import { describe, expect, it } from "vitest";
import {
  checkSelection,
  decideStatusChange,
  isReturnWindowOpen,
  returnEligibility,
  returnableLines,
} from "../../src/domain/return-request.js";

const deliveredAt = new Date("2026-11-24T10:00:00Z");
const lines = [
  { position: 0, sku: "TEA-1", name: "Green tea", quantity: 2, returnable: true },
  { position: 1, sku: "CUP-7", name: "Clay cup", quantity: 1, returnable: true },
  { position: 2, sku: "GIFT-1", name: "Gift card", quantity: 1, returnable: false },
];
const at = (days: number) => new Date(deliveredAt.getTime() + days * 24 * 60 * 60 * 1000);

describe("the return window", () => {
  it("is open until windowDays after delivery, and closed from that moment", () => {
    expect(isReturnWindowOpen(deliveredAt, at(13.99), 14)).toBe(true);
    expect(isReturnWindowOpen(deliveredAt, at(14), 14)).toBe(false);
    expect(returnEligibility({ deliveredAt, now: at(15), windowDays: 14, lines, earlier: [] })).toEqual({
      type: "window_closed",
      closedAt: at(14),
    });
  });

  it("does not open before delivery", () => {
    expect(returnEligibility({ deliveredAt: null, now: at(1), windowDays: 14, lines, earlier: [] }).type).toBe("not_delivered");
  });
});

describe("what can still be returned", () => {
  it("offers returnable lines only, less what requests under way or done already hold", () => {
    const earlier = [
      { id: "r1", status: "refunded" as const, items: [{ position: 0, quantity: 1 }] },
      { id: "r2", status: "rejected" as const, items: [{ position: 1, quantity: 1 }] },
    ];
    expect(returnableLines(lines, earlier).map((l) => [l.name, l.left])).toEqual([
      ["Green tea", 1],
      // A rejected request gives its items back.
      ["Clay cup", 1],
    ]);
  });

  it("refuses when every returnable item is in a request, naming the one under way", () => {
    const earlier = [
      { id: "r1", status: "approved" as const, items: [{ position: 0, quantity: 2 }] },
      { id: "r2", status: "requested" as const, items: [{ position: 1, quantity: 1 }] },
    ];
    expect(returnEligibility({ deliveredAt, now: at(1), windowDays: 14, lines, earlier })).toEqual({
      type: "already_requested",
      requestId: "r2",
    });
    expect(returnEligibility({ deliveredAt, now: at(1), windowDays: 14, lines: [lines[2]!], earlier: [] }).type).toBe("nothing_returnable");
  });

  it("checks a selection against what is left", () => {
    const left = returnableLines(lines, [{ id: "r1", status: "requested", items: [{ position: 0, quantity: 1 }] }]);
    expect(checkSelection([{ position: 0, quantity: 1 }], left)).toEqual({ type: "ok" });
    expect(checkSelection([{ position: 0, quantity: 2 }], left)).toEqual({ type: "too_many", position: 0, left: 1 });
    expect(checkSelection([{ position: 2, quantity: 1 }], left)).toEqual({ type: "too_many", position: 2, left: 0 });
    expect(checkSelection([], left)).toEqual({ type: "empty" });
  });
});

describe("how the shop moves a request on", () => {
  it("allows the steps of a return and nothing after it is closed", () => {
    expect(decideStatusChange("requested", "approved")).toEqual({ type: "changed" });
    expect(decideStatusChange("requested", "refunded").type).toBe("not_allowed");
    expect(decideStatusChange("approved", "received")).toEqual({ type: "changed" });
    expect(decideStatusChange("received", "exchanged")).toEqual({ type: "changed" });
    expect(decideStatusChange("refunded", "refunded")).toEqual({ type: "unchanged" });
    expect(decideStatusChange("refunded", "approved")).toEqual({ type: "not_allowed", from: "refunded", allowed: [] });
  });
});
