import { findActiveHandoff } from "../../db/handoff-repository.js";
import { withTransaction } from "../../db/transaction.js";
import { escalateOrder } from "../escalate-order.js";
import { enqueueHandoffMessage } from "../handoff/handoff-intents.js";
import type { ServiceDependencies } from "../service-dependencies.js";

export type ReturnPersonResult =
  { type: "escalated"; orderNumber: string } | { type: "already_with_people"; orderNumber: string } | { type: "not_found" };

/**
 * The customer asks for a person about an order's return ("Talk to a person" in the return form,
 * under a refusal or a rejection): the order's chat goes to the managers the way the order
 * dialog's button sends it (escalateOrder: history, order.escalated, the handoff with its card,
 * the customer told when a person answers). From the form, the managers also read in the topic
 * that the customer was filling in a return.
 */
export async function askPersonAboutReturn(
  deps: ServiceDependencies,
  input: { orderId: string; detail: string; fromForm?: boolean },
): Promise<ReturnPersonResult> {
  const result = await escalateOrder(deps, { orderId: input.orderId, reason: "customer_request", detail: input.detail });
  if (result.type === "not_found") return result;
  if (result.type === "already_with_people") return { type: result.type, orderNumber: result.record.order.externalId };
  const group = deps.config().managers.groupChatId;
  const { chatId } = result.record;
  if (input.fromForm && group !== null && chatId !== null) {
    const now = deps.clock.now();
    const queued = await withTransaction(deps.db, async (tx) => {
      const handoff = await findActiveHandoff(tx, chatId);
      if (!handoff) return false;
      return enqueueHandoffMessage(
        tx,
        group,
        {
          kind: "handoff.topic_text",
          customerChatId: String(chatId),
          key: "returns.managers.personFromForm",
          params: { orderNumber: result.record.order.externalId },
        },
        { key: `${handoff.id}:return-form`, now, orderId: input.orderId },
      );
    });
    if (queued) deps.outbox.kick();
  }
  return { type: "escalated", orderNumber: result.record.order.externalId };
}
