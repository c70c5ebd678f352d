let counter = 0;

/** A shop's order payload as POST /api/v1/orders takes it; override what the test is about. */
export function orderPayload(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    externalId: `A-${1000 + counter}-${Math.random().toString(36).slice(2, 6)}`,
    // A phone of its own: a phone the bot already knows would send the order to that chat.
    customer: {
      name: "Anna",
      phone: `+49 170 ${String(counter).padStart(3, "0")}${String(Math.floor(Math.random() * 1e4)).padStart(4, "0")}`,
    },
    currency: "EUR",
    items: [
      { sku: "TEA-1", name: "Green tea", quantity: 2, unitPrice: "4.50" },
      { sku: "CUP-7", name: "Clay cup", quantity: 1, unitPrice: 1290 },
    ],
    delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: "2026-12-02", window: "10:00-14:00" },
    comment: "Please ring twice",
    ...overrides,
  };
}

export const startTokenOf = (startLink: string): string => new URL(startLink).searchParams.get("start")!;

/** The shop sends an order, a new customer opens its start link and gets the read-back. */
export async function openOrderDialog(
  harness: {
    api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
    addCustomer(): import("../../src/telegram-standin/telegram-test-user.js").TelegramTestUser;
  },
  overrides: Record<string, unknown> = {},
) {
  const response = await harness.api("POST", "/orders", orderPayload(overrides));
  if (response.status !== 201) throw new Error(`order not created: ${response.status} ${JSON.stringify(response.body)}`);
  const order = response.body;
  const customer = harness.addCustomer();
  await customer.sendText(`/start ${startTokenOf(order.startLink)}`);
  const readBack = await customer.waitForMessage();
  return { order, customer, readBack };
}
