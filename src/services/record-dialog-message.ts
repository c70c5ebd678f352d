import { withTransaction } from "../db/transaction.js";
import { findDialogMessageId, setDialogMessage } from "../db/order-repository.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { onReadBackSent } from "./schedule-order-follow-ups.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/**
 * The bot sent the dialog's message for an order: remember it (its buttons are edited in place
 * later) and write it into the order's history. Returns the previous message, whose buttons the
 * caller removes so only one message per order carries live buttons.
 */
export async function recordDialogMessage(
  deps: ServiceDependencies,
  orderId: string,
  messageId: number,
  what: string,
): Promise<{ previousMessageId: number | null }> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const previousMessageId = await findDialogMessageId(tx, orderId);
    await setDialogMessage(tx, orderId, messageId);
    await appendOrderEvents(tx, orderId, now, "bot", [{ type: "message.sent", data: { what, messageId } }]);
    // The nudges count from the first read-back the customer sees.
    await onReadBackSent(tx, { orderId, now });
    return { previousMessageId: previousMessageId === messageId ? null : previousMessageId };
  });
}
