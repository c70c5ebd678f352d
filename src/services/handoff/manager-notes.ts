import { chatOrderIds, findLatestHandoff, insertNote, putOrderOnHold, releaseOrderHold } from "../../db/handoff-repository.js";
import { appendOrderEvents } from "../../db/order-event-repository.js";
import { withTransaction } from "../../db/transaction.js";
import { newId } from "../../shared/ids.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";
import type { Manager } from "./manager.js";

export type NoteAction = { type: "note"; text: string } | { type: "hold"; reason: string } | { type: "release_hold" };

export type NoteResult = { type: "noted"; orderId: string | null } | { type: "no_order" } | { type: "not_on_hold" };

/**
 * Rule 12 (docs/rules-of-the-trade.md): a manager's internal note (`// …` or /note in the customer's topic) is stored on the
 * order, written into its history and shown on the card, and never reaches the customer.
 * `/hold <reason>` puts the order on hold with that note; `/unhold` releases it.
 */
export async function recordManagerNote(
  deps: ServiceDependencies,
  input: { customerChatId: bigint; manager: Manager; action: NoteAction },
): Promise<NoteResult> {
  const now = deps.clock.now();
  const { manager, action, customerChatId } = input;
  const actor = `manager:${manager.id}`;
  const result = await withTransaction(deps.db, async (tx): Promise<NoteResult> => {
    const handoff = await findLatestHandoff(tx, customerChatId);
    const orderId = handoff?.orderId ?? (await chatOrderIds(tx, customerChatId, 1))[0] ?? null;
    if (action.type !== "note" && !orderId) return { type: "no_order" };
    switch (action.type) {
      case "note":
        await insertNote(tx, {
          chatId: customerChatId,
          orderId,
          handoffId: handoff?.id ?? null,
          authorId: manager.id,
          authorName: manager.name,
          text: action.text,
          now,
        });
        if (orderId)
          await appendOrderEvents(tx, orderId, now, actor, [{ type: "manager.note", data: { text: action.text, manager: manager.name } }]);
        break;
      case "hold":
        await putOrderOnHold(tx, orderId!, { reason: action.reason, byId: manager.id, byName: manager.name, at: now });
        await insertNote(tx, {
          chatId: customerChatId,
          orderId,
          handoffId: handoff?.id ?? null,
          authorId: manager.id,
          authorName: manager.name,
          text: `⏸ ${action.reason}`,
          now,
        });
        await appendOrderEvents(tx, orderId!, now, actor, [{ type: "order.held", data: { reason: action.reason, manager: manager.name } }]);
        break;
      case "release_hold":
        if (!(await releaseOrderHold(tx, orderId!))) return { type: "not_on_hold" };
        await appendOrderEvents(tx, orderId!, now, actor, [{ type: "order.hold_released", data: { manager: manager.name } }]);
        break;
    }
    const group = deps.config().managers.groupChatId;
    if (handoff && group !== null) {
      await enqueueHandoffMessage(
        tx,
        group,
        { kind: "handoff.card", handoffId: handoff.id },
        { key: `${handoff.id}:card:${newId()}`, now, orderId },
      );
    }
    return { type: "noted", orderId };
  });
  deps.outbox.kick();
  return result;
}
