import { chatOwnerOf, lockChatForHandoff } from "../db/handoff-repository.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { findOrder, type OrderRecord } from "../db/order-repository.js";
import { withTransaction } from "../db/transaction.js";
import type { EscalationReason } from "../domain/handoff.js";
import { openHandoffInTransaction } from "./handoff/open-handoff.js";
import { enqueueOrderWebhooks } from "./order-webhooks.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/** Why a chat goes to a person; the customer's own request is "customer_request". */
export type { EscalationReason } from "../domain/handoff.js";

export type EscalateResult =
  { type: "escalated"; record: OrderRecord } | { type: "already_with_people"; record: OrderRecord } | { type: "not_found" };

/**
 * Hands an order's chat to the managers on ordergram's own initiative (no answer to the nudges,
 * a broken promise...): the chat's handoff opens, so its owner is "waiting_manager" and nothing
 * automatic talks over a person, the history says why, the shop gets order.escalated, and the managers' group
 * gets the customer's topic with the order card (src/services/handoff/open-handoff.ts). The customer's own
 * "Talk to a person" goes through the dialog (apply-customer-command) and ends the same way.
 */
export async function escalateOrder(
  deps: ServiceDependencies,
  input: { orderId: string; reason: EscalationReason; detail?: string },
): Promise<EscalateResult> {
  const now = deps.clock.now();
  let queued = 0;
  const result = await withTransaction(deps.db, async (tx): Promise<EscalateResult> => {
    const record = await findOrder(tx, input.orderId);
    if (!record) return { type: "not_found" };
    // Two escalations of the chat at once: the second waits here for the first, then sees its handoff.
    if (record.chatId !== null) await lockChatForHandoff(tx, record.chatId, now);
    if ((await chatOwnerOf(tx, record.chatId)) !== "bot") return { type: "already_with_people", record };
    await appendOrderEvents(tx, input.orderId, now, "system", [
      { type: "order.escalated", data: { reason: input.reason, ...(input.detail ? { detail: input.detail } : {}) } },
    ]);
    // The managers hear of it: a topic with the order's card, the customer is told when a person answers.
    const opened =
      record.chatId !== null
        ? await openHandoffInTransaction(tx, deps, {
            chatId: record.chatId,
            orderId: input.orderId,
            reason: input.reason,
            detail: input.detail ?? null,
            now,
          })
        : null;
    const saved = (await findOrder(tx, input.orderId))!;
    queued = await enqueueOrderWebhooks(tx, saved, ["order.escalated"], {
      now,
      botUsername: deps.botUsername,
      // The dialog did not change (who has the chat is the handoff's): the handoff names the occurrence.
      ...(opened ? { occurrence: `handoff:${opened.handoff.id}` } : {}),
      details: { reason: input.reason },
    });
    return { type: "escalated", record: saved };
  });
  if (queued || result.type === "escalated") deps.outbox.kick();
  return result;
}
