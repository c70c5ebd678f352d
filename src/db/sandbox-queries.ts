import type { Db } from "./create-prisma-client.js";
import { chatOwnersOf } from "./handoff-repository.js";

/** A timed action still to come, as the sandbox's shop desk lists it. */
export interface UpcomingJob {
  id: string;
  kind: string;
  dueAt: Date;
  orderId: string | null;
  externalId: string | null;
}

/** A message waiting for its time (contact hours, a retry), not yet sent. */
export interface HeldMessage {
  id: string;
  channel: string;
  dueAt: Date;
  orderId: string | null;
  externalId: string | null;
  /** What it is: the intent's type for Telegram, the event for webhooks. */
  what: string;
}

export interface RecentOrder {
  id: string;
  externalId: string;
  state: string;
  deliveryStatus: string | null;
  owner: string | null;
  step: string | null;
  customerName: string;
  createdAt: Date;
}

/** The follow-up reconciler runs every clock minute; listing it would only hide the real work. */
const housekeepingKinds = ["follow_ups.sweep"];

/**
 * Read-only views for the sandbox's shop desk: what is scheduled, what waits in the outbox, and the
 * latest orders. Only the sandbox uses these; production code never lists work this way.
 */
export function sandboxQueries(db: Db) {
  const externalIds = async (orderIds: Array<string | null>): Promise<Map<string, string>> => {
    const ids = [...new Set(orderIds.filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const orders = await db.order.findMany({ where: { id: { in: ids } }, select: { id: true, externalId: true } });
    return new Map(orders.map((order) => [order.id, order.externalId]));
  };

  return {
    /** Pending jobs and held messages from `now` on (and overdue ones), soonest first. */
    async upcoming(options: { limit: number }): Promise<{ jobs: UpcomingJob[]; held: HeldMessage[] }> {
      const [jobs, messages] = await Promise.all([
        db.job.findMany({
          where: { status: "pending", kind: { notIn: housekeepingKinds } },
          orderBy: { dueAt: "asc" },
          take: options.limit,
          select: { id: true, kind: true, dueAt: true, orderId: true },
        }),
        db.outboxMessage.findMany({
          where: { status: "pending" },
          orderBy: { nextAttemptAt: "asc" },
          take: options.limit,
          select: { id: true, channel: true, nextAttemptAt: true, orderId: true, payload: true },
        }),
      ]);
      const names = await externalIds([...jobs.map((job) => job.orderId), ...messages.map((message) => message.orderId)]);
      return {
        jobs: jobs.map((job) => ({ ...job, externalId: job.orderId ? (names.get(job.orderId) ?? null) : null })),
        held: messages.map((message) => ({
          id: message.id,
          channel: message.channel,
          dueAt: message.nextAttemptAt,
          orderId: message.orderId,
          externalId: message.orderId ? (names.get(message.orderId) ?? null) : null,
          what: describePayload(message.payload),
        })),
      };
    },

    async recentOrders(options: { limit: number }): Promise<RecentOrder[]> {
      const orders = await db.order.findMany({
        orderBy: { createdAt: "desc" },
        take: options.limit,
        select: {
          id: true,
          externalId: true,
          state: true,
          deliveryStatus: true,
          createdAt: true,
          customer: { select: { name: true } },
          chatId: true,
          dialog: { select: { step: true } },
        },
      });
      const ownerOf = await chatOwnersOf(
        db,
        orders.map((order) => order.chatId),
      );
      return orders.map((order) => ({
        id: order.id,
        externalId: order.externalId,
        state: order.state,
        deliveryStatus: order.deliveryStatus,
        owner: order.dialog ? ownerOf(order.chatId) : null,
        step: order.dialog?.step ?? null,
        customerName: order.customer.name,
        createdAt: order.createdAt,
      }));
    },
  };
}

function describePayload(payload: unknown): string {
  if (typeof payload !== "object" || payload === null) return "message";
  const record = payload as { intent?: { type?: unknown; kind?: unknown }; event?: unknown };
  if (typeof record.event === "string") return record.event;
  const intent = record.intent;
  if (intent && typeof intent.type === "string") return intent.type;
  if (intent && typeof intent.kind === "string") return intent.kind;
  return "message";
}
