/**
 * Where a parcel may go next, as the shop reports it (POST /api/v1/orders/{id}/status), and
 * whether the customer hears about it. Plain data and functions, no I/O.
 */

/** Where a parcel is, as the shop reports it. */
export const deliveryStatuses = [
  "accepted",
  "packed",
  "shipped",
  "in_transit",
  "at_sorting_center",
  "out_for_delivery",
  "ready_for_pickup",
  "delivered",
  "delivery_failed",
  "returned_to_sender",
] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** Statuses after which nothing more is expected of the parcel. */
export const finalDeliveryStatuses: readonly DeliveryStatus[] = ["delivered", "returned_to_sender"];

/**
 * The stage of each status: a parcel moves to any later stage (shops skip steps: many never
 * report `packed`), and freely within its stage: between hubs and the sorting centre, or between
 * delivery attempts (a failed one is tried again, or the parcel waits at a pickup point). A final
 * stage is the end.
 */
const stageOf: Record<DeliveryStatus, number> = {
  accepted: 1,
  packed: 2,
  shipped: 3,
  in_transit: 4,
  at_sorting_center: 4,
  out_for_delivery: 5,
  delivery_failed: 5,
  ready_for_pickup: 5,
  delivered: 6,
  returned_to_sender: 6,
};

/** A step back that is still the parcel's normal way: after a failed attempt it goes back to the depot. */
const backAgain: Partial<Record<DeliveryStatus, readonly DeliveryStatus[]>> = { delivery_failed: ["in_transit", "at_sorting_center"] };

/** The statuses a parcel at `from` may move to without a correction (none after a final one). */
export function nextDeliveryStatuses(from: DeliveryStatus | null): DeliveryStatus[] {
  if (from === null) return [...deliveryStatuses];
  if (finalDeliveryStatuses.includes(from)) return [];
  return deliveryStatuses.filter((to) => to !== from && (stageOf[to] >= stageOf[from] || (backAgain[from] ?? []).includes(to)));
}

export type DeliveryStatusChange =
  /** The parcel already has this status. */
  | { type: "unchanged" }
  /** Record it; `tell`: the customer has not been told this stage before, so they are now. */
  | { type: "changed"; tell: boolean }
  /** Only a confirmed order has a parcel. */
  | { type: "not_confirmed" }
  /** A step back (or on from a final status) without `correction`; `allowed` lists where it may go. */
  | { type: "refused"; from: DeliveryStatus; to: DeliveryStatus; allowed: DeliveryStatus[] };

/**
 * Decides a status report. A shop that reported a status by mistake corrects it with
 * `correction: true`: any other status is then recorded, even a step back or away from a final
 * one. The customer is told the end (delivered, returned) at most once, and a status a correction
 * goes back to only when they never heard it (`told`: the statuses the order has had before), so a
 * mistake and its correction (delivered, shipped, delivered) never bring a second "delivered"
 * message or a second rating prompt; a normal step is told each time (a second delivery attempt).
 */
export function decideDeliveryStatus(input: {
  orderState: string;
  from: DeliveryStatus | null;
  to: DeliveryStatus;
  correction: boolean;
  told: readonly DeliveryStatus[];
}): DeliveryStatusChange {
  const { from, to } = input;
  if (input.orderState !== "confirmed") return { type: "not_confirmed" };
  if (from === to) return { type: "unchanged" };
  const allowed = nextDeliveryStatuses(from);
  if (from !== null && !input.correction && !allowed.includes(to)) return { type: "refused", from, to, allowed };
  // A stage of the parcel's normal way is news each time it happens (a second delivery attempt
  // after a failed one, hub to hub); only the end, and what a correction goes back to, is told once.
  const normalStep = !input.correction && !finalDeliveryStatuses.includes(to);
  return { type: "changed", tell: normalStep || !input.told.includes(to) };
}

export const isDeliveryStatus = (value: unknown): value is DeliveryStatus => deliveryStatuses.includes(value as DeliveryStatus);
