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
  /** In stock, when the shop pushed stock for this SKU. */
  available?: number;
}

export interface OrderLine {
  /** 0-based position in the order as the shop sent it; stable, so buttons can name a line. */
  position: number;
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: bigint;
  /** Quantity in stock; null: the shop did not say, so nothing is short. */
  available: number | null;
  substitutes: Substitute[];
  /** false: the shop does not take it back (not offered for return); absent means returnable. */
  returnable?: boolean;
}

export interface Delivery {
  /** "courier", "pickup", "post", or the shop's own word for a method ordergram does not manage. */
  method: string | null;
  address: string | null;
  /** Local date in the shop's time zone, YYYY-MM-DD. */
  date: string | null;
  /** Time window as the shop writes it, e.g. "10:00-14:00". */
  window: string | null;
  /** The pickup point chosen (an id from the shop's config). */
  pointId?: string | null;
  /** The courier zone chosen, when the shop prices by zone. */
  zone?: string | null;
  /** What delivery costs; null: not known (the shop's own method, another currency). */
  priceMinor?: bigint | null;
  /** The shop set the price in the order: ordergram does not recompute it. */
  priceFromShop?: boolean;
  /** The shop fixed the delivery: it is read back, never offered for change. */
  fixed?: boolean;
  /** ordergram holds a place in this courier window (released when the choice changes). */
  slotBooked?: boolean;
}

/** A line the customer resolved because it was short: what it was, to choose again. */
export interface ShortageResolution {
  position: number;
  original: OrderLine;
  choice: "substitute" | "partial" | "removed";
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

export const lineTotal = (line: Pick<OrderLine, "quantity" | "unitPriceMinor">): bigint => line.unitPriceMinor * BigInt(line.quantity);

export const itemsTotal = (order: Pick<Order, "items">): bigint => order.items.reduce((sum, line) => sum + lineTotal(line), 0n);

/** Items plus delivery (a delivery of unknown price counts as nothing). */
export const orderTotal = (order: Pick<Order, "items" | "delivery">): bigint => itemsTotal(order) + (order.delivery?.priceMinor ?? 0n);

/** Lines with fewer in stock than ordered. */
export const shortLines = (order: Pick<Order, "items">): OrderLine[] =>
  order.items.filter((line) => line.available !== null && line.quantity > line.available);

export const isFinal = (order: Pick<Order, "state">): boolean => finalOrderStates.includes(order.state);

/** Limits that keep a chat form from storing nonsense; the API applies the same ones. */
export const orderLimits = {
  maxQuantity: 9999,
  maxAddressLength: 500,
  minAddressLength: 5,
  maxCommentLength: 1000,
  /**
   * The largest amount (unit price, substitute, delivery price) in minor units: 100 items of 9999
   * at this price plus delivery stay below 2^63, so every total fits a 64-bit column.
   */
  maxAmountMinor: 1_000_000_000_000n,
} as const;
