import { appendOrderEvents } from "../../db/order-event-repository.js";
import { findReturnRequest, saveReturnStatus, type ReturnRequestRecord } from "../../db/return-request-repository.js";
import { withTransaction } from "../../db/transaction.js";
import { decideStatusChange, type ReturnStatus, type ShopReturnStatus } from "../../domain/return-request.js";
import { enqueueOutbox } from "../../outbox/enqueue-outbox.js";
import { automaticSendTime } from "../contact-time.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { toJsonObject } from "../../shared/json-value.js";
import type { ReturnIntent } from "./return-intent.js";

/** What the shop says with a status, validated by the API. */
export type ReturnStatusDetails = {
  /** approved: how the item goes back. */
  instructions?: { labelUrl?: string; address?: string; pickup?: { date?: string; window?: string; note?: string }; note?: string };
  /** rejected: why. */
  reason?: string;
  /** refunded, credited: how much, a decimal string in the order's currency. */
  amount?: string;
  /** credited: the voucher or credit code. */
  code?: string;
  note?: string;
};

export type UpdateReturnStatusResult =
  | { type: "updated"; request: ReturnRequestRecord }
  /** The request already has this status: nothing is sent again. */
  | { type: "unchanged"; request: ReturnRequestRecord }
  | { type: "not_allowed"; from: ReturnStatus; allowed: readonly ReturnStatus[] }
  | { type: "not_found" };

/**
 * POST /api/v1/returns/{id}/status: the shop moves a request on. The status and what the shop
 * said with it go into the request's history and the order's; the customer gets one message about
 * it in their language (through the outbox, within contact hours).
 */
export async function updateReturnStatus(
  deps: ServiceDependencies,
  input: { returnId: string; status: ShopReturnStatus; details: ReturnStatusDetails },
): Promise<UpdateReturnStatusResult> {
  const now = deps.clock.now();
  let queued = false;
  for (;;) {
    const result = await withTransaction(deps.db, async (tx): Promise<UpdateReturnStatusResult | "retry"> => {
      const request = await findReturnRequest(tx, input.returnId);
      if (!request) return { type: "not_found" };
      const change = decideStatusChange(request.status, input.status);
      if (change.type === "unchanged") return { type: "unchanged", request };
      if (change.type === "not_allowed") return change;
      const history = [
        ...request.history,
        { status: input.status, at: now.toISOString(), details: input.details as Record<string, unknown> },
      ];
      if ((await saveReturnStatus(tx, request.id, request.status, input.status, history)) === "conflict") return "retry";
      await appendOrderEvents(tx, request.orderId, now, "shop", [
        { type: `return.${input.status}`, data: { returnId: request.id, ...toJsonObject(input.details) } },
      ]);
      const intent: ReturnIntent = { kind: "return.status", returnId: request.id, seq: history.length };
      const sendAt = await automaticSendTime(tx, deps, { chatId: request.chatId, now });
      ({ enqueued: queued } = await enqueueOutbox(
        tx,
        { channel: "telegram", chatId: request.chatId, orderId: request.orderId, intent },
        { idempotencyKey: `return:${request.id}:status:${history.length}`, now, notBefore: sendAt },
      ));
      return { type: "updated", request: (await findReturnRequest(tx, request.id))! };
    });
    // Another call moved it at the same moment: decide again on what it left.
    if (result === "retry") continue;
    if (queued) deps.outbox.kick();
    return result;
  }
}
