import { ensureSupportTopic } from "../../db/handoff-repository.js";
import type { ReturnRequestRecord } from "../../db/return-request-repository.js";
import type { Tx } from "../../db/transaction.js";
import { enqueueHandoffMessage } from "../handoff/handoff-intents.js";
import { managersGroupOf } from "../handoff/open-handoff.js";
import type { ServiceDependencies } from "../service-dependencies.js";

/**
 * Tells the managers about a new return request: a line in the customer's topic of the managers'
 * group (created when the customer has none yet), in the managers' language. Written in the
 * transaction that stores the request. Does nothing when no managers' group is configured.
 */
export async function notifyManagersOfReturn(tx: Tx, deps: ServiceDependencies, input: { request: ReturnRequestRecord; orderNumber: string; now: Date }): Promise<boolean> {
  const group = managersGroupOf(deps);
  if (group === null) return false;
  const { request } = input;
  await ensureSupportTopic(tx, request.chatId, group);
  return enqueueHandoffMessage(
    tx,
    group,
    {
      kind: "handoff.topic_text",
      customerChatId: String(request.chatId),
      key: "returns.managers.requested",
      params: {
        orderNumber: input.orderNumber,
        items: request.items.map((item) => `${item.name} × ${item.quantity}`).join(", "),
        reason: request.reason,
        resolution: request.exchangeFor ? `${request.resolution} (${request.exchangeFor})` : request.resolution,
        photos: String(request.photos.length),
        comment: request.comment ?? "—",
      },
    },
    { key: `return:${request.id}:managers`, now: input.now, orderId: request.orderId },
  );
}
