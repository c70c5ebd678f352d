import { findActiveHandoff } from "../db/handoff-repository.js";
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
 * tap is answered, not recorded); the shop gets `order.rated`; a low one goes to a manager, and
 * asks for its comment as "Add a comment" does: what the customer writes next is why, and the shop
 * should hear it (addRatingComment), even when it reaches the manager too.
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
    const low = input.score <= config.lowScoreAtMost;
    await tx.orderRating.create({
      data: { orderId: input.orderId, score: input.score, ratedAt: now, ...(low ? { commentRequestedAt: now } : {}) },
    });
    await appendOrderEvents(tx, input.orderId, now, "customer", [{ type: "customer.rated", data: { score: input.score } }]);
    queued = await ratedWebhook(tx, deps, record, { score: input.score, comment: null }, `order:${input.orderId}:rated`, now);
    return { type: "rated", score: input.score, low };
  });
  if (queued) deps.outbox.kick();
  if (result.type === "rated" && result.low)
    await escalateOrder(deps, { orderId: input.orderId, reason: "low_rating", detail: `${result.score}/5` });
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
 * A text from a customer: the comment for a rating waiting for one ("Add a comment", or a low
 * score), if there is one (the shop gets `order.rated` again, with the comment). "none" lets
 * other handlers have it. `chatWith` is who has the chat as the caller sees it: the comment is
 * taken only then, so the bot's own handler (which answers) and the one in front of the relay to
 * a person (which stays silent and lets the text go on to the topic) never both take it.
 */
export async function addRatingComment(
  deps: ServiceDependencies,
  input: { telegramUserId: bigint; text: string; chatWith: "bot" | "people" },
): Promise<{ type: "saved"; orderId: string } | { type: "none" }> {
  const now = deps.clock.now();
  let queued = false;
  const result = await withTransaction(deps.db, async (tx) => {
    const withPeople = (await findActiveHandoff(tx, input.telegramUserId)) !== null;
    if (withPeople !== (input.chatWith === "people")) return { type: "none" as const };
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
