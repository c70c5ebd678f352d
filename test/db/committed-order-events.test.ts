import { expect, it } from "vitest";
import { onCommittedOrderEvents, type AppendedOrderEvent } from "../../src/db/committed-order-events.js";
import { appendOrderEvents } from "../../src/db/order-event-repository.js";
import { rollBackWith, withTransaction } from "../../src/db/transaction.js";
import { receiveOrder } from "../../src/services/receive-order.js";
import { testServiceDependencies } from "../support/service-dependencies.js";
import { describeEachDatabase } from "../support/test-database.js";

describeEachDatabase("order events announced after their commit", (getDb) => {
  async function receivedOrder(deps: ReturnType<typeof testServiceDependencies>) {
    const received = await receiveOrder(deps, {
      externalId: `EVT-${Math.random().toString(36).slice(2, 8)}`,
      customer: { name: "Anna", phone: "+491710001234", telegramUserId: null, language: "en" },
      currency: "EUR",
      items: [{ position: 0, sku: "TEA-1", name: "Green tea", quantity: 2, unitPriceMinor: 450n, available: null, substitutes: [] }],
      delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin", date: null, window: null },
      comment: null,
    });
    return received.record;
  }

  it("hears an order's events once they are committed, and never those of a transaction that was rolled back", async () => {
    const deps = testServiceDependencies(getDb());
    const order = await receivedOrder(deps);
    const heard: AppendedOrderEvent[][] = [];
    const stopListening = onCommittedOrderEvents(getDb(), async (events) => void heard.push(events));
    const now = deps.clock.now();

    await withTransaction(getDb(), async (tx) => {
      await appendOrderEvents(tx, order.order.id, now, "system", [{ type: "test.rolled_back" }]);
      return rollBackWith(null);
    });
    await expect(
      withTransaction(getDb(), async (tx) => {
        await appendOrderEvents(tx, order.order.id, now, "system", [{ type: "test.failed" }]);
        throw new Error("a bug half-way");
      }),
    ).rejects.toThrow("a bug half-way");
    expect(heard).toEqual([]);

    await withTransaction(getDb(), async (tx) => {
      await appendOrderEvents(tx, order.order.id, now, "system", [{ type: "test.first" }]);
      await appendOrderEvents(tx, order.order.id, now, "system", [{ type: "test.second" }]);
      // Not announced before the commit.
      expect(heard).toEqual([]);
    });
    await appendOrderEvents(getDb(), order.order.id, now, "bot", [{ type: "test.alone" }]);
    expect(heard.map((events) => events.map((event) => event.type))).toEqual([["test.first", "test.second"], ["test.alone"]]);
    stopListening();
    await appendOrderEvents(getDb(), order.order.id, now, "bot", [{ type: "test.unheard" }]);
    expect(heard).toHaveLength(2);
  });
});
