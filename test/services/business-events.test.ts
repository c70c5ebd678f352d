import { describe, expect, it } from "vitest";
import { onCommittedOrderEvents } from "../../src/db/committed-order-events.js";
import { applyCustomerCommand } from "../../src/services/apply-customer-command.js";
import { businessEventOf, createBusinessEventLog } from "../../src/services/business-events.js";
import { linkByStartToken } from "../../src/services/link-customer.js";
import { receiveOrder } from "../../src/services/receive-order.js";
import { captureLogs } from "../support/captured-logs.js";
import { testServiceDependencies } from "../support/service-dependencies.js";
import { describeEachDatabase } from "../support/test-database.js";

describe("which history entries are business events", () => {
  const of = (type: string, data: Record<string, unknown> = {}) => businessEventOf({ type, data });

  it("should name every way an order is confirmed or cancelled, and by whom", () => {
    expect(of("customer.confirmed")).toEqual({ event: "order.confirmed", details: { by: "customer" } });
    expect(of("manager.confirmed", { manager: "Maria" })).toEqual({
      event: "order.confirmed",
      details: { by: "manager", manager: "Maria" },
    });
    expect(of("customer.cancelled", { reason: "too_expensive" })).toEqual({
      event: "order.cancelled",
      details: { by: "customer", reason: "too_expensive" },
    });
    expect(of("manager.cancelled", { reason: "manager", manager: "Maria" })).toMatchObject({
      event: "order.cancelled",
      details: { by: "manager" },
    });
    expect(of("order.auto_cancelled", { afterHours: 48 })).toEqual({ event: "order.cancelled", details: { by: "system", afterHours: 48 } });
  });

  it("should take the read-back and a delivery status message, and leave out nudges, reminders and the rest", () => {
    expect(of("message.sent", { what: "order.read_back", messageId: 5 })).toEqual({
      event: "order.read_back",
      details: { what: "order.read_back" },
    });
    expect(of("message.sent", { what: "order.nudge", messageId: 6 })).toBeNull();
    expect(of("notification.sent", { kind: "notify.status", status: "shipped", messageId: 7 })).toEqual({
      event: "order.status_sent",
      details: { status: "shipped" },
    });
    expect(of("notification.sent", { kind: "notify.delivery_reminder", messageId: 8 })).toBeNull();
    expect(of("customer.quantity_changed", { position: 0 })).toBeNull();
    expect(of("customer.human_requested", { step: "read_back" })).toEqual({
      event: "order.escalated",
      details: { reason: "customer_request" },
    });
  });
});

describeEachDatabase("the business event log", (getDb) => {
  let seq = 0;
  async function receivedOrder(deps: ReturnType<typeof testServiceDependencies>) {
    seq++;
    const received = await receiveOrder(deps, {
      externalId: `BIZ-${seq}-${Math.random().toString(36).slice(2, 6)}`,
      customer: { name: "Anna", phone: `+4917100${seq}1234`, telegramUserId: null, language: "en" },
      currency: "EUR",
      items: [{ position: 0, sku: "TEA-1", name: "Green tea", quantity: 2, unitPriceMinor: 450n, available: null, substitutes: [] }],
      delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin", date: null, window: null },
      comment: null,
    });
    return received.record;
  }

  it("writes one confirmation line, with the shop's order id, however many confirmations race", async () => {
    const logs = captureLogs();
    const deps = testServiceDependencies(getDb(), { logger: logs.logger });
    const log = createBusinessEventLog(deps);
    const stopListening = onCommittedOrderEvents(getDb(), (events) => log.ordersChanged(events));
    try {
      const record = await receivedOrder(deps);
      const userId = BigInt(910_000 + seq);
      const linked = await linkByStartToken(deps, record.startToken!, {
        id: userId,
        type: "private",
        username: null,
        languageCode: "en",
        firstName: "Anna",
      });
      expect(linked.type).toBe("linked");
      await Promise.all(
        Array.from({ length: 5 }, () =>
          applyCustomerCommand(deps, { orderId: record.order.id, telegramUserId: userId, command: { type: "confirm" } }),
        ),
      );
      const lines = logs.lines.filter((line) => line.component === "business");
      expect(lines.map((line) => [line.event, line.orderId, line.externalId])).toEqual([
        ["order.received", record.order.id, record.order.externalId],
        ["order.confirmed", record.order.id, record.order.externalId],
      ]);
      expect(lines[1]).toMatchObject({ msg: "order confirmed by the customer", level: 30 });
    } finally {
      stopListening();
    }
  });
});
