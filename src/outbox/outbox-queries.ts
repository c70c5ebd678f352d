import type { Db } from "../db/create-prisma-client.js";
import type { OutboxMessage } from "../db/models.js";
import type { OutboxChannel, OutboxStatus } from "./outbox-message.js";

/** An outbox row as the API shows it. */
export interface OutboxView {
  id: string;
  channel: OutboxChannel;
  status: OutboxStatus;
  orderId: string | null;
  chatId: bigint | null;
  /** The webhook's event, or the Telegram intent's `kind` when it has one. */
  kind: string | null;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface ListOutboxFilter {
  channel?: OutboxChannel;
  status?: OutboxStatus;
  orderId?: string;
  /** 1..500. */
  limit: number;
}

/** Newest first: what the API shows under "deliveries", e.g. the webhooks that keep failing. */
export async function listOutbox(db: Db, filter: ListOutboxFilter): Promise<OutboxView[]> {
  const rows = await db.outboxMessage.findMany({
    where: {
      ...(filter.channel ? { channel: filter.channel } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.orderId ? { orderId: filter.orderId } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(500, Math.max(1, Math.floor(filter.limit))),
  });
  return rows.map(toView);
}

export type RetryOutboxResult = { type: "requeued" } | { type: "not-found" } | { type: "not-failed"; status: OutboxStatus };

/**
 * Puts a failed message back in the queue, due now, with a fresh attempt budget (lastError is
 * kept until the next attempt). Kick the dispatcher afterwards.
 */
export async function retryOutboxMessage(db: Db, id: string, now: Date): Promise<RetryOutboxResult> {
  const { count } = await db.outboxMessage.updateMany({
    where: { id, status: "failed" },
    data: { status: "pending", attempts: 0, nextAttemptAt: now, leasedBy: null, leasedUntil: null },
  });
  if (count === 1) return { type: "requeued" };
  const row = await db.outboxMessage.findUnique({ where: { id }, select: { status: true } });
  return row ? { type: "not-failed", status: row.status as OutboxStatus } : { type: "not-found" };
}

function toView(row: OutboxMessage): OutboxView {
  return {
    id: row.id,
    channel: row.channel as OutboxChannel,
    status: row.status as OutboxStatus,
    orderId: row.orderId,
    chatId: row.chatId,
    kind: kindOf(row.payload),
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

function kindOf(payload: unknown): string | null {
  if (typeof payload !== "object" || payload === null) return null;
  const { event, intent } = payload as { event?: unknown; intent?: unknown };
  if (typeof event === "string") return event;
  if (typeof intent === "object" && intent !== null && typeof (intent as { kind?: unknown }).kind === "string")
    return (intent as { kind: string }).kind;
  return null;
}

/** What waits in the outbox for one channel, as the metrics show it. */
export interface OutboxBacklog {
  channel: OutboxChannel;
  /** Due by now and not delivered yet: due, being sent, or being retried. */
  due: number;
  /** Held for later and never tried yet (contact hours, a delay the owner set). */
  scheduled: number;
  /**
   * Since when the longest-waiting due message waits: its due time, or its creation when it has
   * been tried already (a retry moves the due time on, the wait goes on all the same).
   */
  oldestWaitingSince: Date | null;
}

/** Per channel, what the outbox owes: three grouped counts on the (status, nextAttemptAt) index. */
export async function outboxBacklog(db: Db, now: Date, channels: readonly OutboxChannel[]): Promise<OutboxBacklog[]> {
  const [fresh, retried, later] = await Promise.all([
    db.outboxMessage.groupBy({
      by: ["channel"],
      where: { attempts: 0, OR: [{ status: "sending" }, { status: "pending", nextAttemptAt: { lte: now } }] },
      _count: { _all: true },
      _min: { nextAttemptAt: true },
    }),
    db.outboxMessage.groupBy({
      by: ["channel"],
      where: { attempts: { gt: 0 }, status: { in: ["pending", "sending"] } },
      _count: { _all: true },
      _min: { createdAt: true },
    }),
    db.outboxMessage.groupBy({
      by: ["channel"],
      where: { attempts: 0, status: "pending", nextAttemptAt: { gt: now } },
      _count: { _all: true },
    }),
  ]);
  return channels.map((channel) => {
    const a = fresh.find((row) => row.channel === channel);
    const b = retried.find((row) => row.channel === channel);
    const since = [a?._min.nextAttemptAt, b?._min.createdAt].filter((at): at is Date => at instanceof Date);
    return {
      channel,
      due: (a?._count._all ?? 0) + (b?._count._all ?? 0),
      scheduled: later.find((row) => row.channel === channel)?._count._all ?? 0,
      oldestWaitingSince: since.length ? new Date(Math.min(...since.map((at) => at.getTime()))) : null,
    };
  });
}
