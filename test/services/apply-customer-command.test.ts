import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../src/domain/phone.js";
import { applyCustomerCommand } from "../../src/services/apply-customer-command.js";
import { linkByStartToken } from "../../src/services/link-customer.js";
import { receiveOrder } from "../../src/services/receive-order.js";
import { testServiceDependencies } from "../support/service-dependencies.js";
import { describeEachDatabase } from "../support/test-database.js";

describeEachDatabase("customer commands decided concurrently", (getDb) => {
  let seq = 0;
  async function linkedOrder() {
    const deps = testServiceDependencies(getDb());
    seq++;
    const received = await receiveOrder(deps, {
      externalId: `CONC-${seq}-${Math.random()}`,
      customer: { name: "Anna", phone: normalizePhone(`+4917000${seq}1234`), telegramUserId: null, language: "en" },
      currency: "EUR",
      items: [
        { position: 0, sku: "TEA-1", name: "Green tea", quantity: 2, unitPriceMinor: 450n, available: null, substitutes: [] },
        { position: 1, sku: "CUP-7", name: "Clay cup", quantity: 1, unitPriceMinor: 1290n, available: null, substitutes: [] },
      ],
      delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin", date: null, window: null },
      comment: null,
      payloadHash: `hash-${seq}`,
    });
    const userId = BigInt(900_000 + seq);
    const linked = await linkByStartToken(deps, received.record.startToken!, { id: userId, type: "private", username: null, languageCode: "en", firstName: "Anna" });
    expect(linked.type).toBe("linked");
    return { deps, orderId: received.record.order.id, userId };
  }

  it("confirms an order once however many confirmations race", async () => {
    const { deps, orderId, userId } = await linkedOrder();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => applyCustomerCommand(deps, { orderId, telegramUserId: userId, command: { type: "confirm" } })),
    );
    expect(results.filter((r) => r.type === "accepted")).toHaveLength(1);
    expect(results.filter((r) => r.type === "rejected").map((r) => (r as { code: string }).code)).toEqual(Array(5).fill("ORDER_FINAL"));
    const webhooks = await getDb().outboxMessage.findMany({ where: { orderId, channel: "webhook" } });
    expect(webhooks.map((w) => (w.payload as { event: string }).event)).toEqual(["order.confirmed"]);
  });

  it("loses no change when quantity changes race: each one starts from the one before", async () => {
    const { deps, orderId, userId } = await linkedOrder();
    const quantities = [3, 4, 5, 6, 7];
    const results = await Promise.all(
      quantities.map((quantity) =>
        applyCustomerCommand(deps, { orderId, telegramUserId: userId, command: { type: "set_quantity", position: 0, quantity } }),
      ),
    );
    expect(results.every((r) => r.type === "accepted")).toBe(true);
    const events = await getDb().orderEvent.findMany({ where: { orderId, type: "customer.quantity_changed" }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    const chain = events.map((e) => e.data as { from: number; to: number });
    expect(chain).toHaveLength(5);
    expect(chain[0]!.from).toBe(2);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.from).toBe(chain[i - 1]!.to);
    const item = await getDb().orderItem.findFirstOrThrow({ where: { orderId, position: 0 } });
    expect(item.quantity).toBe(chain.at(-1)!.to);
    const order = await getDb().order.findUniqueOrThrow({ where: { id: orderId } });
    // items, plus post at 3.50 (not free below 50.00)
    expect(order.totalMinor).toBe(BigInt(item.quantity) * 450n + 1290n + 350n);
  });

  it("refuses the commands of another Telegram user", async () => {
    const { deps, orderId } = await linkedOrder();
    const result = await applyCustomerCommand(deps, { orderId, telegramUserId: 1n, command: { type: "confirm" } });
    expect(result).toEqual({ type: "not_yours" });
    expect((await getDb().order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe("awaiting_customer");
  });
});
