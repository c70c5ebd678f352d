import { appendOrderEvents } from "../db/order-event-repository.js";
import { findOrder, type OrderRecord } from "../db/order-repository.js";
import { withTransaction, type Tx } from "../db/transaction.js";
import { enqueueOutbox } from "../outbox/enqueue-outbox.js";
import { escalateOrder } from "./escalate-order.js";
import { orderView } from "./order-view.js";
import type { ServiceDependencies } from "./service-dependencies.js";
import { toJsonObject } from "../shared/json-value.js";

export type RateOrderResult =
  | { type: "rated"; score: number; low: boolean }
  | { type: "already_rated"; score: number }
  | { type: "not_delivered" }
  | { type: "not_yours" }
  | { type: "not_found" };

/** How long after "Add a comment" the customer's next text is taken as the comment. */
const commentWindowMs = 24 * 60 * 60_000;

async function ratedWebhook(
  tx: Tx,
  deps: ServiceDependencies,
  record: OrderRecord,
  rating: { score: number; comment: string | null },
  key: string,
  now: Date,
) {
  const { enqueued } = await enqueueOutbox(
    tx,
    {
      channel: "webhook",
      orderId: record.order.id,
      event: "order.rated",
      data: toJsonObject({ order: orderView(record, deps.botUsername), rating }),
    },
    { idempotencyKey: key, now },
  );
  return enqueued;
}

/**
 * The customer tapped a star rating under the thanks message. The first rating counts (a second
 * tap is answered, not recorded); the shop gets `order.rated`; a low one goes to a manager.
 */
export async function rateOrder(
  deps: ServiceDependencies,
  input: { orderId: string; telegramUserId: bigint; score: number },
): Promise<RateOrderResult> {
  const now = deps.clock.now();
  const config = deps.config().notifications.rating;
  let queued = false;
  const result = await withTransaction(deps.db, async (tx): Promise<RateOrderResult> => {
    const record = await findOrder(tx, input.orderId);
    if (!record) return { type: "not_found" };
    if (record.chatId !== input.telegramUserId) return { type: "not_yours" };
    const order = await tx.order.findUniqueOrThrow({ where: { id: input.orderId }, select: { deliveredAt: true } });
    if (!order.deliveredAt) return { type: "not_delivered" };
    const existing = await tx.orderRating.findUnique({ where: { orderId: input.orderId } });
    if (existing) return { type: "already_rated", score: existing.score };
    await tx.orderRating.create({ data: { orderId: input.orderId, score: input.score, ratedAt: now } });
    await appendOrderEvents(tx, input.orderId, now, "customer", [{ type: "customer.rated", data: { score: input.score } }]);
    queued = await ratedWebhook(tx, deps, record, { score: input.score, comment: null }, `order:${input.orderId}:rated`, now);
    return { type: "rated", score: input.score, low: input.score <= config.lowScoreAtMost };
  });
  if (queued) deps.outbox.kick();
  if (result.type === "rated" && result.low)
    await escalateOrder(deps, { orderId: input.orderId, reason: "low_rating", detail: `rated ${result.score} of 5` });
  return result;
}

/** "Add a comment" under a rating: the customer's next text message in the chat becomes its comment. */
export async function requestRatingComment(
  deps: ServiceDependencies,
  input: { orderId: string; telegramUserId: bigint },
): Promise<"waiting" | "not_rated" | "not_yours"> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const order = await tx.order.findUnique({ where: { id: input.orderId }, select: { chatId: true } });
    if (!order || order.chatId !== input.telegramUserId) return "not_yours";
    const { count } = await tx.orderRating.updateMany({
      where: { orderId: input.orderId, commentedAt: null },
      data: { commentRequestedAt: now },
    });
    return count === 1 ? "waiting" : "not_rated";
  });
}

/**
 * A text from a customer: the comment for a rating they asked to comment on, if there is one
 * waiting (the shop gets `order.rated` again, with the comment). "none" lets other handlers have it.
 */
export async function addRatingComment(
  deps: ServiceDependencies,
  input: { telegramUserId: bigint; text: string },
): Promise<{ type: "saved"; orderId: string } | { type: "none" }> {
  const now = deps.clock.now();
  let queued = false;
  const result = await withTransaction(deps.db, async (tx) => {
    const delivered = await tx.order.findMany({
      where: { chatId: input.telegramUserId, deliveredAt: { not: null } },
      select: { id: true },
    });
    if (delivered.length === 0) return { type: "none" as const };
    const waiting = await tx.orderRating.findFirst({
      where: {
        orderId: { in: delivered.map((o) => o.id) },
        commentRequestedAt: { gt: new Date(now.getTime() - commentWindowMs) },
        commentedAt: null,
      },
      orderBy: { commentRequestedAt: "desc" },
    });
    if (!waiting) return { type: "none" as const };
    const record = (await findOrder(tx, waiting.orderId))!;
    const comment = input.text.trim().slice(0, 1000);
    await tx.orderRating.update({ where: { orderId: waiting.orderId }, data: { comment, commentedAt: now } });
    await appendOrderEvents(tx, waiting.orderId, now, "customer", [{ type: "customer.rating_commented", data: { comment } }]);
    queued = await ratedWebhook(tx, deps, record, { score: waiting.score, comment }, `order:${waiting.orderId}:rated:comment`, now);
    return { type: "saved" as const, orderId: waiting.orderId };
  });
  if (queued) deps.outbox.kick();
  return result;
}
