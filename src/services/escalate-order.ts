import { appendOrderEvents } from "../db/order-event-repository.js";
import { findOrder, type OrderRecord } from "../db/order-repository.js";
import { withTransaction } from "../db/transaction.js";
import { enqueueOrderWebhooks } from "./order-webhooks.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/** Why a chat goes to a person; the customer's own request is "customer_request". */
export type EscalationReason =
  | "customer_request"
  | "no_answer_to_nudges"
  | "unrecognised_text"
  | "keyword"
  | "low_rating"
  | "unreachable"
  | "flow_failure"
  | "broken_promise";

export type EscalateResult = { type: "escalated"; record: OrderRecord } | { type: "already_with_people"; record: OrderRecord } | { type: "not_found" };

/**
 * Hands an order's chat to the managers on ordergram's own initiative (no answer to the nudges,
 * a broken promise...): the dialog's owner becomes "waiting_manager", so nothing automatic talks
 * over a person, the history says why, and the shop gets order.escalated. The customer's own
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
    if (record.dialog.owner !== "bot") return { type: "already_with_people", record };
    const claimed = await tx.orderDialog.updateMany({
      where: { orderId: input.orderId, version: record.dialog.version },
      data: { owner: "waiting_manager", version: record.dialog.version + 1 },
    });
    if (claimed.count === 0) return { type: "already_with_people", record };
    await appendOrderEvents(tx, input.orderId, now, "system", [
      { type: "order.escalated", data: { reason: input.reason, ...(input.detail ? { detail: input.detail } : {}) } },
    ]);
    const saved = (await findOrder(tx, input.orderId))!;
    queued = await enqueueOrderWebhooks(tx, saved, ["order.escalated"], {
      now,
      botUsername: deps.botUsername,
      details: { reason: input.reason },
    });
    return { type: "escalated", record: saved };
  });
  if (queued) deps.outbox.kick();
  return result;
}
