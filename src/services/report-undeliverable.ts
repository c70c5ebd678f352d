import { appendOrderEvents } from "../db/order-event-repository.js";
import { findOrder } from "../db/order-repository.js";
import { withTransaction } from "../db/transaction.js";
import { escalateOrder } from "./escalate-order.js";
import { enqueueOrderWebhooks } from "./order-webhooks.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/**
 * Telegram refused a message about an order for good (a 400 that no retry will change, or every
 * attempt failed). The order must not wait unseen: the shop gets order.undeliverable with the
 * reason, the history says which message, and when it was the customer's own chat a person takes
 * it over (the managers' card). Idempotent on the message: a second call adds nothing.
 */
export async function reportUndeliverable(
  deps: ServiceDependencies,
  input: { messageId: string; chatId: bigint; orderId: string | null; intent: unknown; error: string },
): Promise<void> {
  if (!input.orderId) return;
  const orderId = input.orderId;
  const now = deps.clock.now();
  const what = typeof input.intent === "object" && input.intent !== null && "kind" in input.intent ? String(input.intent.kind) : "message";
  const outcome = await withTransaction(deps.db, async (tx) => {
    const record = await findOrder(tx, orderId);
    if (!record) return null;
    const queued = await enqueueOrderWebhooks(tx, record, ["order.undeliverable"], {
      now,
      botUsername: deps.botUsername,
      occurrence: `message:${input.messageId}`,
      details: { reason: input.error, message: what },
    });
    if (queued)
      await appendOrderEvents(tx, orderId, now, "system", [
        { type: "message.undeliverable", data: { message: what, reason: input.error } },
      ]);
    return { queued, customerChat: record.chatId === input.chatId };
  });
  if (!outcome) return;
  deps.logger.warn(
    { orderId, chatId: String(input.chatId), message: what, reason: input.error },
    "message about an order could not be delivered",
  );
  if (outcome.queued) deps.outbox.kick();
  if (outcome.customerChat) await escalateOrder(deps, { orderId, reason: "flow_failure", detail: `${what}: ${input.error}` });
}
