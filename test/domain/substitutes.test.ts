import { describe, expect, it } from "vitest";
import type { OrderLine } from "../../src/domain/order.js";
import { allowedSubstitutes, type SubstituteRules } from "../../src/domain/substitutes.js";

const line: OrderLine = {
  position: 0,
  sku: "TEA-1",
  name: "Green tea",
  quantity: 2,
  unitPriceMinor: 1000n,
  available: 0,
  substitutes: [
    { sku: "CHEAP", name: "Black tea", unitPriceMinor: 800n },
    { sku: "PLUS10", name: "Jasmine tea", unitPriceMinor: 1100n },
    { sku: "PLUS25", name: "Matcha", unitPriceMinor: 1250n },
  ],
};
const rules = (overrides: Partial<SubstituteRules> = {}): SubstituteRules => ({
  allowMoreExpensive: true,
  maxIncreaseMinor: null,
  maxIncreaseCurrency: null,
  maxIncreasePercent: 20,
  offerPartial: true,
  ...overrides,
});

describe("which substitutes are offered", () => {
  it("keeps to the shop's limit on how much dearer a substitute may be", () => {
    const offered = allowedSubstitutes(line, rules());
    expect(offered.map((s) => [s.sku, s.differencePerUnitMinor])).toEqual([
      ["CHEAP", -200n],
      ["PLUS10", 100n],
    ]);
  });

  it("applies the stricter of an amount and a percentage", () => {
    expect(allowedSubstitutes(line, rules({ maxIncreaseMinor: 50n })).map((s) => s.sku)).toEqual(["CHEAP"]);
    // An amount is in the delivery currency: it limits orders in that currency, not others.
    const inEuro = rules({ maxIncreaseMinor: 50n, maxIncreaseCurrency: "EUR", maxIncreasePercent: null });
    expect(allowedSubstitutes(line, inEuro, undefined, "EUR").map((s) => s.sku)).toEqual(["CHEAP"]);
    expect(allowedSubstitutes(line, inEuro, undefined, "JPY").map((s) => s.sku)).toEqual(["CHEAP", "PLUS10", "PLUS25"]);
    expect(allowedSubstitutes(line, rules({ maxIncreasePercent: 25 })).map((s) => s.sku)).toEqual(["CHEAP", "PLUS10", "PLUS25"]);
  });

  it("offers only cheaper or equal ones when dearer are not allowed", () => {
    expect(allowedSubstitutes(line, rules({ allowMoreExpensive: false })).map((s) => s.sku)).toEqual(["CHEAP"]);
  });

  it("leaves out a substitute the shop has too few of", () => {
    const stock = new Map([
      ["CHEAP", 1],
      ["PLUS10", 5],
    ]);
    expect(allowedSubstitutes(line, rules(), stock).map((s) => s.sku)).toEqual(["PLUS10"]);
  });
});
