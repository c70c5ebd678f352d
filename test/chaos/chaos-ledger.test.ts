import { describe, expect, it } from "vitest";
import { countKinds, failingKinds, type Observations } from "./chaos-ledger.js";

function observations(overrides: Partial<Observations> = {}): Observations {
  return {
    orders: new Map([["o1", "C-1"]]),
    taps: new Map([["o1", 10]]),
    readBacks: new Map([["o1", [10]]]),
    tapReplies: new Map([["o1", [10]]]),
    webhooks: [{ deliveryId: "w1", event: "order.confirmed", orderId: "o1" }],
    confirmed: new Set(["o1"]),
    outbox: [
      { id: "r1", orderId: "o1", channel: "telegram", idempotencyKey: "order:o1:read_back:v0", attempts: 1 },
      { id: "w1", orderId: "o1", channel: "webhook", idempotencyKey: "order:o1:confirmed", attempts: 1 },
    ],
    ...overrides,
  };
}

describe("the chaos suite's ledger", () => {
  it("should pass a run where everything owed arrived once", () => {
    const counts = countKinds(observations());
    expect(counts["read-backs"]).toMatchObject({ sent: 1, received: 1, lost: 0, duplicated: 0 });
    expect(failingKinds(counts)).toEqual([]);
  });

  it("should count a read-back sent twice by a row attempted twice as inside the window", () => {
    const counts = countKinds(
      observations({
        readBacks: new Map([["o1", [10, 11]]]),
        outbox: [{ id: "r1", orderId: "o1", channel: "telegram", idempotencyKey: "order:o1:read_back:v0", attempts: 2 }],
        webhooks: [],
        confirmed: new Set(),
      }),
    );
    expect(counts["read-backs"]).toMatchObject({ duplicated: 1, duplicatedOutsideWindow: 0 });
  });

  it("should fail a duplicate no outbox attempt explains", () => {
    const counts = countKinds(observations({ readBacks: new Map([["o1", [10, 11]]]) }));
    expect(counts["read-backs"]).toMatchObject({ duplicated: 1, duplicatedOutsideWindow: 1 });
    expect(failingKinds(counts)).toEqual(["read-backs"]);
  });

  it("should take one webhook row delivered again as the window, and two rows for one event as a bug", () => {
    const again = countKinds(
      observations({
        webhooks: [
          { deliveryId: "w1", event: "order.confirmed", orderId: "o1" },
          { deliveryId: "w1", event: "order.confirmed", orderId: "o1" },
        ],
        outbox: [{ id: "w1", orderId: "o1", channel: "webhook", idempotencyKey: "order:o1:confirmed", attempts: 2 }],
      }),
    );
    expect(again.webhooks).toMatchObject({ duplicated: 1, duplicatedOutsideWindow: 0 });
    const twoRows = countKinds(
      observations({
        webhooks: [
          { deliveryId: "w1", event: "order.confirmed", orderId: "o1" },
          { deliveryId: "w2", event: "order.confirmed", orderId: "o1" },
        ],
      }),
    );
    expect(twoRows.webhooks).toMatchObject({ duplicated: 1, duplicatedOutsideWindow: 1 });
  });

  it("should count a tap whose reply never came as lost, whether or not the order was confirmed", () => {
    const counts = countKinds(observations({ tapReplies: new Map() }));
    expect(counts["tap replies"]).toMatchObject({ sent: 1, received: 0, lost: 1 });
    expect(counts["tap replies"].examples[0]).toContain("the order is confirmed");
    expect(failingKinds(counts)).toEqual(["tap replies"]);
  });
});
