import { describe, expect, it } from "vitest";
import { median, reachStats, type OrderReachFacts } from "../../src/domain/reach-stats.js";

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 9, 0) + minutes * 60_000);
const order = (facts: Partial<OrderReachFacts> = {}): OrderReachFacts => ({
  createdAt: at(0),
  linkedHow: null,
  firstReadBackAt: null,
  confirmedAt: null,
  ...facts,
});

describe("reach statistics", () => {
  it("should take the middle value, or the mean of the two middle ones", () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([30, 1, 4])).toBe(4);
    expect(median([1, 2, 4, 100])).toBe(3);
    expect(median([0.25, 0.5])).toBe(0.4);
  });

  it("should count each step of reaching the customer, and which way they came in", () => {
    const stats = reachStats([
      order({ linkedHow: "known_chat", firstReadBackAt: at(1), confirmedAt: at(5) }),
      order({ linkedHow: "start_link", firstReadBackAt: at(20), confirmedAt: at(45) }),
      order({ linkedHow: "shared_phone", firstReadBackAt: at(90) }),
      order(),
    ]);
    expect(stats).toEqual({
      created: 4,
      linked: 3,
      linkedBy: { start_link: 1, shared_phone: 1, telegram_user_id: 0, known_chat: 1 },
      readBack: 3,
      confirmed: 2,
      medianMinutesToReadBack: 20,
      medianMinutesToConfirmation: 25,
    });
  });

  it("should have no medians for a period without read-backs", () => {
    expect(reachStats([order(), order()])).toMatchObject({
      created: 2,
      linked: 0,
      readBack: 0,
      medianMinutesToReadBack: null,
      medianMinutesToConfirmation: null,
    });
  });
});
