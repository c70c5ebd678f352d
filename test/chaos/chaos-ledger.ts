// What the chaos run owes and what arrived, per kind, and the verdict on it. Pure: the scenario
// collects the observations (the stand-in's chats, the shop's webhook receiver, the outbox rows
// at the end) and this file counts.
//
// The one documented at-least-once window is the outbox's: a process killed after a message or
// webhook went out and before its row was marked sent sends it again after the restart, at most
// once more per attempt the row counted (`attempts - 1` extra copies). A duplicate is inside the
// window when the rows it came from counted that many attempts (and, for webhooks, when it is the
// same delivery id again); any other duplicate is a bug.

export const KINDS = ["read-backs", "tap replies", "webhooks"] as const;
export type Kind = (typeof KINDS)[number];

export interface KindCount {
  /** Owed: orders created (read-backs), Confirm taps made (tap replies), orders confirmed (webhooks). */
  sent: number;
  /** Owed ones that arrived at least once. */
  received: number;
  lost: number;
  /** Copies beyond the first. */
  duplicated: number;
  /** Of those, the ones no outbox row's extra attempts explain. */
  duplicatedOutsideWindow: number;
  /** A few examples of what was lost or duplicated outside the window, for the report. */
  examples: string[];
}

export interface Observations {
  /** Orders the driver created: order id -> external id. */
  orders: Map<string, string>;
  /** Confirm taps made: order id -> the read-back message tapped. */
  taps: Map<string, number>;
  /** Read-back messages sent, per order id. */
  readBacks: Map<string, number[]>;
  /**
   * Messages showing the confirmation (the tapped read-back edited to "Confirmed", or a new message
   * saying so), per order id: a message edited again is still one reply.
   */
  tapReplies: Map<string, number[]>;
  /** Webhooks received: delivery id, event, order id. */
  webhooks: Array<{ deliveryId: string; event: string; orderId: string | null }>;
  /** Orders confirmed in the database at the end. */
  confirmed: Set<string>;
  /** Outbox rows of the run's orders at the end. */
  outbox: Array<{ id: string; orderId: string | null; channel: string; idempotencyKey: string; attempts: number }>;
}

const extraAttempts = (rows: Observations["outbox"]): number => rows.reduce((sum, row) => sum + Math.max(0, row.attempts - 1), 0);

function emptyCount(sent: number): KindCount {
  return { sent, received: 0, lost: 0, duplicated: 0, duplicatedOutsideWindow: 0, examples: [] };
}

/** Keeps up to four examples of losses and four of duplicates. */
function note(count: KindCount, example: string): void {
  const lost = example.startsWith("lost:");
  if (count.examples.filter((e) => e.startsWith("lost:") === lost).length < 4) count.examples.push(example);
}

/** Counts one kind of Telegram message: `copies` per owed order, explained by `rows`' extra attempts. */
function countMessages(
  owed: string[],
  copies: (orderId: string) => number,
  rows: (orderId: string) => Observations["outbox"],
  what: (orderId: string) => string,
): KindCount {
  const count = emptyCount(owed.length);
  for (const orderId of owed) {
    const n = copies(orderId);
    if (n === 0) {
      count.lost++;
      note(count, `lost: ${what(orderId)}`);
      continue;
    }
    count.received++;
    const extra = n - 1;
    count.duplicated += extra;
    const outside = Math.max(0, extra - extraAttempts(rows(orderId)));
    count.duplicatedOutsideWindow += outside;
    if (outside > 0) note(count, `${n} copies, no outbox attempt explains ${outside}: ${what(orderId)}`);
  }
  return count;
}

export function countKinds(observed: Observations): Record<Kind, KindCount> {
  const rowsOf = new Map<string, Observations["outbox"]>();
  for (const row of observed.outbox) if (row.orderId) rowsOf.set(row.orderId, [...(rowsOf.get(row.orderId) ?? []), row]);
  const telegramRows = (orderId: string) => (rowsOf.get(orderId) ?? []).filter((row) => row.channel === "telegram");
  const isReadBack = (row: Observations["outbox"][number]) => row.idempotencyKey.includes(":read_back:");
  const what = (orderId: string) => `order ${observed.orders.get(orderId) ?? orderId}`;

  const readBacks = countMessages(
    [...observed.orders.keys()],
    (orderId) => observed.readBacks.get(orderId)?.length ?? 0,
    (orderId) => telegramRows(orderId).filter(isReadBack),
    (orderId) => `read-back of ${what(orderId)}`,
  );
  // Today the reply to a tap is sent by the handler, not the outbox: no row explains a copy of it,
  // unless it goes through the outbox (then its row's attempts do).
  const tapReplies = countMessages(
    [...observed.taps.keys()],
    (orderId) => new Set(observed.tapReplies.get(orderId)).size,
    (orderId) => telegramRows(orderId).filter((row) => !isReadBack(row)),
    (orderId) =>
      `reply to the Confirm tap on ` +
      `${what(orderId)}` +
      `${observed.confirmed.has(orderId) ? " (the order is confirmed)" : " (the tap was never handled: the order is not confirmed)"}`,
  );

  const webhooks = emptyCount(observed.confirmed.size);
  const attemptsOf = new Map(observed.outbox.map((row) => [row.id, row.attempts]));
  for (const orderId of observed.confirmed) {
    const deliveries = observed.webhooks.filter((w) => w.event === "order.confirmed" && w.orderId === orderId);
    if (deliveries.length === 0) {
      webhooks.lost++;
      note(webhooks, `lost: order.confirmed of ${what(orderId)}`);
      continue;
    }
    webhooks.received++;
    webhooks.duplicated += deliveries.length - 1;
    const ids = new Map<string, number>();
    for (const delivery of deliveries) ids.set(delivery.deliveryId, (ids.get(delivery.deliveryId) ?? 0) + 1);
    // Two rows for one event is never the window; one row more often than its attempts neither.
    let outside = ids.size - 1;
    for (const [id, n] of ids) outside += Math.max(0, n - 1 - Math.max(0, (attemptsOf.get(id) ?? 1) - 1));
    webhooks.duplicatedOutsideWindow += outside;
    if (outside > 0) note(webhooks, `order.confirmed of ${what(orderId)}: ${deliveries.length} deliveries, ${ids.size} distinct ids`);
  }
  return { "read-backs": readBacks, "tap replies": tapReplies, webhooks };
}

/** The kinds that break the promise: something lost, or duplicated outside the window. */
export function failingKinds(counts: Record<Kind, KindCount>): Kind[] {
  return KINDS.filter((kind) => counts[kind].lost > 0 || counts[kind].duplicatedOutsideWindow > 0);
}

export function renderTable(title: string, counts: Record<Kind, KindCount>): string {
  const header = ["kind", "sent", "received", "lost", "duplicated", "(outside window)"];
  const rows = KINDS.map((kind) => {
    const c = counts[kind];
    return [kind, c.sent, c.received, c.lost, c.duplicated, c.duplicatedOutsideWindow].map(String);
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  const examples = KINDS.flatMap((kind) => counts[kind].examples.map((example) => `    ${kind}: ${example}`));
  return [title, `  ${line(header)}`, ...rows.map((r) => `  ${line(r)}`), ...examples].join("\n");
}
