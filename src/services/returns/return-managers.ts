import type { ReturnRequestRecord } from "../../db/return-request-repository.js";
import type { Tx } from "../../db/transaction.js";
import { noteInCustomerTopic } from "../handoff/topic-replies.js";
import type { ServiceDependencies } from "../service-dependencies.js";

/**
 * Tells the managers about a new return request: a line in the customer's topic of the managers'
 * group (created when the customer has none yet), in the managers' language. Written in the
 * transaction that stores the request. Does nothing when no managers' group is configured.
 */
export async function notifyManagersOfReturn(
  tx: Tx,
  deps: ServiceDependencies,
  input: { request: ReturnRequestRecord; orderNumber: string; now: Date },
): Promise<boolean> {
  const { request } = input;
  return noteInCustomerTopic(tx, deps, {
    customerChatId: request.chatId,
    key: "returns.managers.requested",
    params: {
      orderNumber: input.orderNumber,
      items: request.items.map((item) => `${item.name} × ${item.quantity}`).join(", "),
      reason: request.reason,
      resolution: request.exchangeFor ? `${request.resolution} (${request.exchangeFor})` : request.resolution,
      photos: String(request.photos.length),
      comment: request.comment ?? "—",
    },
    dedupeKey: `return:${request.id}:managers`,
    orderId: request.orderId,
    now: input.now,
  });
}
