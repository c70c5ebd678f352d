import type { ConfigFile } from "../config/config-schema.js";
import { dateTimeFormat } from "../shared/intl-formats.js";

/** A ready order for the shop desk: what it shows, and the payload POST /api/v1/orders takes. */
export interface ExampleOrder {
  id: string;
  title: string;
  description: string;
  payload: Record<string, unknown>;
}

export interface ExampleCustomer {
  telegramUserId: number;
  name: string;
  phone: string | null;
  languageCode: string | null;
}

const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** The local date (YYYY-MM-DD) in the shop's time zone. */
const localDate = (at: Date, timeZone: string): string =>
  dateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);

/**
 * The first courier day at least `daysAhead` days after `now` (shop's time zone) that is neither a
 * day off nor a holiday, so the example's date is one the shop delivers on.
 */
export function deliveryDateFrom(now: Date, file: ConfigFile, daysAhead: number): string {
  const start = new Date(`${localDate(now, file.shop.timeZone)}T00:00:00Z`);
  const { daysOff, holidays } = file.delivery.courier;
  for (let add = daysAhead; add < daysAhead + 31; add++) {
    const day = new Date(start.getTime() + add * 86_400_000);
    const iso = day.toISOString().slice(0, 10);
    if (!(daysOff as readonly string[]).includes(weekdays[day.getUTCDay()]!) && !holidays.includes(iso)) return iso;
  }
  return new Date(start.getTime() + daysAhead * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Orders that show the main paths: an order read back as it is, an item out of stock with
 * substitutes, a pickup, a delivery the customer chooses in the chat, and a customer the bot
 * does not know yet (the shop hands out the start link). Each is for the given sandbox customer.
 */
export function exampleOrders(customer: ExampleCustomer, now: Date, file: ConfigFile): ExampleOrder[] {
  const known = {
    name: customer.name,
    ...(customer.phone ? { phone: customer.phone } : {}),
    telegramUserId: customer.telegramUserId,
    ...(customer.languageCode ? { language: customer.languageCode.slice(0, 2) } : {}),
  };
  const date = deliveryDateFrom(now, file, 2);
  const window = file.delivery.courier.windows[1]?.window ?? file.delivery.courier.windows[0]?.window ?? "14:00-18:00";
  const point = file.delivery.pickup.points[0];
  const currency = file.delivery.currency;
  const tea = { sku: "TEA-1", name: "Green tea", quantity: 2, unitPrice: "4.50" };
  const cup = { sku: "CUP-7", name: "Clay cup", quantity: 1, unitPrice: "12.90" };
  const address = "Hauptstr. 1, 10115 Berlin";
  return [
    {
      id: "courier",
      title: "Courier order, all in stock",
      description: `Read back with the courier on ${date}, ${window}; confirm it, then skip to the delivery reminder.`,
      payload: {
        customer: known,
        currency,
        items: [tea, cup],
        delivery: { method: "courier", address, date, window },
        comment: "Please ring twice",
      },
    },
    {
      id: "short-item",
      title: "An item is out of stock",
      description: "The cup is not in stock: the customer is offered substitutes, the part in stock, removing it, or a person.",
      payload: {
        customer: known,
        currency,
        items: [
          tea,
          {
            ...cup,
            available: 0,
            substitutes: [
              { sku: "CUP-8", name: "Stoneware cup", unitPrice: "13.50" },
              { sku: "CUP-9", name: "Glass cup", unitPrice: "9.90" },
            ],
          },
        ],
        delivery: { method: "courier", address, date, window },
      },
    },
    ...(file.delivery.pickup.enabled && point
      ? [
          {
            id: "pickup",
            title: "Pickup at the shop",
            description: `Collected at ${point.name}.`,
            payload: { customer: known, currency, items: [tea], delivery: { method: "pickup", pointId: point.id } },
          },
        ]
      : []),
    {
      id: "choose-delivery",
      title: "Customer chooses delivery in the chat",
      description: "No delivery details: the customer picks the method, day and window in the chat.",
      payload: { customer: known, currency, items: [tea, cup] },
    },
    {
      id: "start-link",
      title: "New customer: start link",
      description: "The bot does not know this customer yet; open the order's start link as the selected customer.",
      payload: { customer: { name: customer.name }, currency, items: [cup], delivery: { method: "courier", address, date, window } },
    },
  ];
}
