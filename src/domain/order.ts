/**
 * An order as ordergram sees it: what the shop sent plus what the customer agreed in the chat.
 * Plain data, so the dialog can be decided, tested and stored without any framework.
 */

export type OrderState = "awaiting_customer" | "confirmed" | "cancelled";

export const finalOrderStates: readonly OrderState[] = ["confirmed", "cancelled"];

export interface Substitute {
  sku: string;
  name: string;
  unitPriceMinor: bigint;
}

export interface OrderLine {
  /** 0-based position in the order as the shop sent it; stable, so buttons can name a line. */
  position: number;
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: bigint;
  /** Quantity in stock (the substitutes issue acts on it). */
  available: number;
  substitutes: Substitute[];
}

export interface Delivery {
  method: string | null;
  address: string | null;
  /** Local date in the shop's time zone, YYYY-MM-DD. */
  date: string | null;
  /** Time window as the shop writes it, e.g. "10:00-14:00". */
  window: string | null;
}

export interface OrderCustomer {
  id: string;
  name: string;
  phone: string | null;
  language: string | null;
}

export interface Order {
  id: string;
  externalId: string;
  state: OrderState;
  currency: string;
  items: OrderLine[];
  delivery: Delivery | null;
  comment: string | null;
  customer: OrderCustomer;
}

export const lineTotal = (line: Pick<OrderLine, "quantity" | "unitPriceMinor">): bigint =>
  line.unitPriceMinor * BigInt(line.quantity);

export const orderTotal = (order: Pick<Order, "items">): bigint =>
  order.items.reduce((sum, line) => sum + lineTotal(line), 0n);

export const isFinal = (order: Pick<Order, "state">): boolean => finalOrderStates.includes(order.state);

/** Limits that keep a chat form from storing nonsense; the API applies the same ones. */
export const orderLimits = {
  maxQuantity: 9999,
  maxAddressLength: 500,
  minAddressLength: 5,
  maxCommentLength: 1000,
} as const;
