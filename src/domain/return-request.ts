/**
 * The rules of a return request (rule 10 of the trade: problems get solutions), as plain data and
 * functions: when the window is open, which items may go back and how many of each are left, and
 * how the shop moves a request on. No I/O; times come in as arguments.
 */

export const returnStatuses = ["requested", "approved", "rejected", "received", "refunded", "exchanged", "credited"] as const;
export type ReturnStatus = (typeof returnStatuses)[number];

/** Statuses the shop sets through the API (a request starts as "requested"). */
export const shopReturnStatuses = ["approved", "rejected", "received", "refunded", "exchanged", "credited"] as const;
export type ShopReturnStatus = (typeof shopReturnStatuses)[number];

export const returnResolutions = ["refund", "exchange", "store_credit"] as const;
export type ReturnResolution = (typeof returnResolutions)[number];

/** After these nothing more happens to a request. */
export const finalReturnStatuses: readonly ReturnStatus[] = ["rejected", "refunded", "exchanged", "credited"];

/** Where the shop may move a request from each status; the same status again is a no-op. */
const transitions: Record<ReturnStatus, readonly ReturnStatus[]> = {
  requested: ["approved", "rejected"],
  // Refunded or exchanged without the item coming back (a damaged item the shop does not want).
  approved: ["received", "rejected", "refunded", "exchanged", "credited"],
  // The item arrived and was inspected: accepted (refund, exchange, credit) or not.
  received: ["rejected", "refunded", "exchanged", "credited"],
  rejected: [],
  refunded: [],
  exchanged: [],
  credited: [],
};

export type StatusChange =
  { type: "changed" } | { type: "unchanged" } | { type: "not_allowed"; from: ReturnStatus; allowed: readonly ReturnStatus[] };

export function decideStatusChange(from: ReturnStatus, to: ShopReturnStatus): StatusChange {
  if (from === to) return { type: "unchanged" };
  const allowed = transitions[from];
  return allowed.includes(to) ? { type: "changed" } : { type: "not_allowed", from, allowed };
}

const dayMs = 24 * 60 * 60 * 1000;

/** The moment the return window of an order delivered at `deliveredAt` closes. */
export const returnWindowClosesAt = (deliveredAt: Date, windowDays: number): Date => new Date(deliveredAt.getTime() + windowDays * dayMs);

export const isReturnWindowOpen = (deliveredAt: Date, now: Date, windowDays: number): boolean =>
  now.getTime() < returnWindowClosesAt(deliveredAt, windowDays).getTime();

/** An order line as the return rules see it. */
export interface ReturnableLineInput {
  position: number;
  sku: string;
  name: string;
  quantity: number;
  returnable: boolean;
}

/** A line the customer may still return, and how many of it. */
export interface ReturnableLine {
  position: number;
  sku: string;
  name: string;
  /** Ordered quantity. */
  quantity: number;
  /** Not yet in a request that is under way or done. */
  left: number;
}

/** A request already made for the order: its items count against what is left, unless it was rejected. */
export interface EarlierRequest {
  id: string;
  status: ReturnStatus;
  items: Array<{ position: number; quantity: number }>;
}

/** A rejected request gives its items back: the customer may ask again (with better photos, say). */
const counts = (request: EarlierRequest) => request.status !== "rejected";

/** Returnable lines of the order with what is left of each; lines with nothing left are kept (left 0). */
export function returnableLines(lines: readonly ReturnableLineInput[], earlier: readonly EarlierRequest[]): ReturnableLine[] {
  return lines
    .filter((line) => line.returnable)
    .map((line) => {
      const taken = earlier
        .filter(counts)
        .reduce((sum, request) => sum + request.items.filter((i) => i.position === line.position).reduce((s, i) => s + i.quantity, 0), 0);
      return { position: line.position, sku: line.sku, name: line.name, quantity: line.quantity, left: Math.max(0, line.quantity - taken) };
    });
}

export type ReturnEligibility =
  | { type: "eligible"; lines: ReturnableLine[]; closesAt: Date }
  | { type: "not_delivered" }
  | { type: "window_closed"; closedAt: Date }
  | { type: "nothing_returnable" }
  /** Every returnable item is already in a request; `requestId` is the latest one still under way, if any. */
  | { type: "already_requested"; requestId: string | null };

/** Whether a return can be started for an order now. */
export function returnEligibility(input: {
  deliveredAt: Date | null;
  now: Date;
  windowDays: number;
  lines: readonly ReturnableLineInput[];
  earlier: readonly EarlierRequest[];
}): ReturnEligibility {
  if (!input.deliveredAt) return { type: "not_delivered" };
  const closesAt = returnWindowClosesAt(input.deliveredAt, input.windowDays);
  if (!isReturnWindowOpen(input.deliveredAt, input.now, input.windowDays)) return { type: "window_closed", closedAt: closesAt };
  const lines = returnableLines(input.lines, input.earlier);
  if (lines.length === 0) return { type: "nothing_returnable" };
  if (lines.every((line) => line.left === 0)) return { type: "already_requested", requestId: latestOpenRequest(input.earlier) };
  return { type: "eligible", lines: lines.filter((line) => line.left > 0), closesAt };
}

/** The newest request that is still under way (earlier is in creation order). */
export function latestOpenRequest(earlier: readonly EarlierRequest[]): string | null {
  return [...earlier].reverse().find((request) => !finalReturnStatuses.includes(request.status))?.id ?? null;
}

export type SelectionCheck =
  | { type: "ok" }
  | { type: "empty" }
  /** A line asked for more than is left (another request took them meanwhile) or is not returnable. */
  | { type: "too_many"; position: number; left: number };

/** The customer's choice of items against what may still go back. */
export function checkSelection(
  selection: ReadonlyArray<{ position: number; quantity: number }>,
  lines: readonly ReturnableLine[],
): SelectionCheck {
  const wanted = selection.filter((item) => item.quantity > 0);
  if (wanted.length === 0) return { type: "empty" };
  for (const item of wanted) {
    const left = lines.find((line) => line.position === item.position)?.left ?? 0;
    if (item.quantity > left) return { type: "too_many", position: item.position, left };
  }
  return { type: "ok" };
}
