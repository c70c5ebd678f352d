import { customerUnreachableSince } from "../db/customer-repository.js";
import { chatOrderIds } from "../db/handoff-repository.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { withTransaction } from "../db/transaction.js";
import { enqueueOutbox } from "../outbox/enqueue-outbox.js";
import { showReachInTopic } from "./handoff/reach-in-topic.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/**
 * A customer Telegram reported unreachable (403: they blocked the bot) writes or taps again, or
 * unblocks the bot: they can be reached, so the mark comes off (automatic messages may go to
 * them again), the shop hears it (`customer.reachable`), and their topic's title and card no
 * longer say they blocked the bot. Cheap for everyone else: one read of the customer's row.
 */
export async function markCustomerReachable(deps: ServiceDependencies, chatId: bigint): Promise<"reachable_again" | "unchanged"> {
  const since = await customerUnreachableSince(deps.db, chatId);
  if (since === null) return "unchanged";
  const now = deps.clock.now();
  const changed = await withTransaction(deps.db, async (tx) => {
    // Guarded: of two updates of the customer at once, one takes the mark off and tells.
    const { count } = await tx.customer.updateMany({
      where: { telegramUserId: chatId, unreachableAt: since },
      data: { unreachableAt: null },
    });
    if (count === 0) return false;
    const customer = await tx.customer.findUniqueOrThrow({ where: { telegramUserId: chatId } });
    const [orderId] = await chatOrderIds(tx, chatId, 1);
    const order = orderId ? await tx.order.findUnique({ where: { id: orderId }, select: { id: true, externalId: true } }) : null;
    const unreachableSince = since.toISOString();
    if (order) await appendOrderEvents(tx, order.id, now, "customer", [{ type: "customer.reachable", data: { unreachableSince } }]);
    await enqueueOutbox(
      tx,
      {
        channel: "webhook",
        ...(order ? { orderId: order.id } : {}),
        event: "customer.reachable",
        data: {
          customer: { name: customer.name, phone: customer.phone },
          order: order ? { id: order.id, externalId: order.externalId } : null,
          unreachableSince,
        },
      },
      { idempotencyKey: `customer:${chatId}:reachable:${unreachableSince}`, now },
    );
    await showReachInTopic(tx, deps, { chatId, reach: "reachable", occurrence: `reachable:${unreachableSince}`, now });
    return true;
  });
  if (!changed) return "unchanged";
  deps.logger.info({ chatId: chatId.toString(), unreachableSince: since.toISOString() }, "customer reachable in Telegram again");
  deps.outbox.kick();
  return "reachable_again";
}
