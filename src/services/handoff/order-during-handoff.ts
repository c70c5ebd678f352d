import { findActiveHandoff } from "../../db/handoff-repository.js";
import { findOrder, type OrderRecord } from "../../db/order-repository.js";
import type { Tx } from "../../db/transaction.js";
import { formatMoney } from "../../domain/money.js";
import { orderTotal } from "../../domain/order.js";
import { enqueueOrderWebhooks } from "../order-webhooks.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";

/** The reason order.escalated gives for an order that arrived while its chat was with a person. */
export const chatWithPersonReason = "chat_with_person";

/**
 * A new order arrived for a chat that is with a person (or waiting for one): it joins the
 * handoff like the chat's other orders (the person has the chat, so nothing automatic talks over
 * them), the managers see it at once in the customer's topic and on the card, and the shop hears
 * that it waits for a person. The read-back follows on hand back (end-handoff resumes every open
 * order of the chat). In the transaction that stores the order; false when no person has the chat.
 */
export async function joinActiveHandoff(
  tx: Tx,
  deps: ServiceDependencies,
  input: { chatId: bigint; orderId: string; now: Date },
): Promise<boolean> {
  const handoff = await findActiveHandoff(tx, input.chatId);
  if (!handoff) return false;
  const { now } = input;
  const record: OrderRecord = (await findOrder(tx, input.orderId))!;
  const group = deps.config().managers.groupChatId;
  if (group !== null) {
    const config = deps.config();
    const total = formatMoney(orderTotal(record.order), record.order.currency, config.managers.language);
    await enqueueHandoffMessage(
      tx,
      group,
      {
        kind: "handoff.topic_text",
        customerChatId: String(input.chatId),
        key: "handoff.managers.newOrderArrived",
        params: { orderNumber: record.order.externalId, total },
      },
      { key: `${handoff.id}:new_order:${input.orderId}`, now, orderId: input.orderId },
    );
    // The card lists the chat's orders: the new one shows there too.
    await enqueueHandoffMessage(
      tx,
      group,
      { kind: "handoff.card", handoffId: handoff.id },
      { key: `${handoff.id}:card:new_order:${input.orderId}`, now, orderId: input.orderId },
    );
  }
  await enqueueOrderWebhooks(tx, record, ["order.escalated"], {
    now,
    botUsername: deps.botUsername,
    occurrence: chatWithPersonReason,
    details: { reason: chatWithPersonReason },
  });
  return true;
}
