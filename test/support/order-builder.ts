import type { Order, OrderLine } from "../../src/domain/order.js";

/** A plausible order for tests; override what the test is about. */
export function anOrder(overrides: Partial<Order> = {}): Order {
  const items: OrderLine[] = [
    { position: 0, sku: "TEA-1", name: "Green tea", quantity: 2, unitPriceMinor: 450n, available: null, substitutes: [] },
    { position: 1, sku: "CUP-7", name: "Clay cup", quantity: 1, unitPriceMinor: 1290n, available: null, substitutes: [] },
  ];
  return {
    id: "ord_test_1",
    externalId: "A-1001",
    state: "awaiting_customer",
    currency: "EUR",
    items,
    delivery: { method: "courier", address: "Hauptstr. 1, Berlin", date: "2026-11-25", window: "10:00-14:00", priceMinor: 490n },
    comment: null,
    customer: { id: "cus_1", name: "Anna", phone: "+491701234567", language: "en" },
    ...overrides,
  };
}
