import { withTransaction } from "../db/transaction.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { enqueueOutbox } from "../outbox/enqueue-outbox.js";
import { showReachInTopic } from "./handoff/reach-in-topic.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/**
 * Telegram answered 403 for a customer's chat (blocked, or never started the bot): automatic
 * messages stop (the outbox fails the chat's other messages), and the shop hears of it.
 */
export async function markCustomerUnreachable(
  deps: ServiceDependencies,
  chatId: bigint,
  orderId: string | null,
  reason: string,
): Promise<void> {
  const now = deps.clock.now();
  await withTransaction(deps.db, async (tx) => {
    const customer = await tx.customer.findUnique({ where: { telegramUserId: chatId } });
    if (customer && !customer.unreachableAt) {
      await tx.customer.update({ where: { id: customer.id }, data: { unreachableAt: now } });
      await showReachInTopic(tx, deps, { chatId, reach: "unreachable", occurrence: `unreachable:${now.toISOString()}`, now });
    }
    if (orderId) await appendOrderEvents(tx, orderId, now, "system", [{ type: "customer.unreachable", data: { reason } }]);
    const order = orderId ? await tx.order.findUnique({ where: { id: orderId }, select: { id: true, externalId: true } }) : null;
    await enqueueOutbox(
      tx,
      {
        channel: "webhook",
        ...(orderId ? { orderId } : {}),
        event: "customer.unreachable",
        data: {
          customer: customer ? { name: customer.name, phone: customer.phone } : null,
          order: order ? { id: order.id, externalId: order.externalId } : null,
          reason,
        },
      },
      { idempotencyKey: `customer:${chatId}:unreachable:${customer?.unreachableAt?.toISOString() ?? now.toISOString()}`, now },
    );
  });
  deps.logger.warn({ chatId: chatId.toString(), orderId, reason }, "customer unreachable in Telegram");
  deps.outbox.kick();
}
