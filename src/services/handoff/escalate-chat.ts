import { findActiveHandoff, type HandoffRecord } from "../../db/handoff-repository.js";
import { findOpenOrdersInChat } from "../../db/order-repository.js";
import { withTransaction } from "../../db/transaction.js";
import type { EscalationReason } from "../../domain/handoff.js";
import { escalateOrder } from "../escalate-order.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { openHandoffInTransaction } from "./open-handoff.js";

export type EscalateChatResult =
  { type: "escalated"; handoff: HandoffRecord } | { type: "already_with_people"; handoff: HandoffRecord | null };

/**
 * The customer needs a person outside an order's buttons (/help, a keyword, texts the dialog
 * could not use, a failure): the chat's oldest open order is escalated (history, webhook), or,
 * without one, the chat alone.
 */
export async function escalateChat(
  deps: ServiceDependencies,
  input: { chatId: bigint; reason: EscalationReason; detail?: string | null },
): Promise<EscalateChatResult> {
  const [open] = await findOpenOrdersInChat(deps.db, input.chatId);
  if (open) {
    const result = await escalateOrder(deps, {
      orderId: open.order.id,
      reason: input.reason,
      ...(input.detail ? { detail: input.detail } : {}),
    });
    const handoff = await findActiveHandoff(deps.db, input.chatId);
    return result.type === "escalated" && handoff ? { type: "escalated", handoff } : { type: "already_with_people", handoff };
  }
  const now = deps.clock.now();
  const opened = await withTransaction(deps.db, (tx) =>
    openHandoffInTransaction(tx, deps, { chatId: input.chatId, orderId: null, reason: input.reason, detail: input.detail ?? null, now }),
  );
  deps.outbox.kick();
  return opened.type === "opened"
    ? { type: "escalated", handoff: opened.handoff }
    : { type: "already_with_people", handoff: opened.handoff };
}
