import type { OrderRecord } from "../db/order-repository.js";
import { initialDialog, type DialogStep } from "../domain/order-dialog.js";
import type { Delivery } from "../domain/order.js";

/** An order as an owner would recognise it, for previewing the script without Telegram. */
export function sampleOrder(
  options: { step?: DialogStep; state?: OrderRecord["order"]["state"]; delivery?: Delivery | null; shortage?: boolean } = {},
): OrderRecord {
  const now = new Date("2026-11-23T10:00:00Z");
  return {
    order: {
      id: "preview-order",
      externalId: "A-1001",
      state: options.state ?? "awaiting_customer",
      currency: "EUR",
      items: [
        {
          position: 0,
          sku: "TEA-1",
          name: "Green tea",
          quantity: 2,
          unitPriceMinor: 450n,
          available: options.shortage ? 0 : null,
          substitutes: options.shortage ? [{ sku: "JAS-2", name: "Jasmine tea", unitPriceMinor: 500n }] : [],
        },
        { position: 1, sku: "CUP-7", name: "Clay cup", quantity: 1, unitPriceMinor: 1290n, available: null, substitutes: [] },
      ],
      delivery:
        options.delivery === undefined
          ? { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: "2026-11-25", window: "10:00-14:00", priceMinor: 490n }
          : options.delivery,
      comment: "Please ring twice",
      customer: { id: "preview-customer", name: "Anna", phone: "+491701234567", language: null },
    },
    dialog: { ...initialDialog(), step: options.step ?? { name: "read_back" }, owner: "bot", messageId: null, settings: null },
    chatId: 1n,
    telegramUserId: 1n,
    startToken: null,
    payloadHash: "",
    hold: null,
    reach: { unreachedNotices: 0, givenUpAt: null },
    createdAt: now,
    updatedAt: now,
  };
}
