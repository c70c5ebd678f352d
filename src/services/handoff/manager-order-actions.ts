import { releaseDeliverySlot } from "../../db/delivery-slot-repository.js";
import { findLatestHandoff } from "../../db/handoff-repository.js";
import { appendOrderEvents } from "../../db/order-event-repository.js";
import { findOrder, saveDecision } from "../../db/order-repository.js";
import { withTransaction } from "../../db/transaction.js";
import { decide, type DialogStep, type RejectionCode } from "../../domain/order-dialog.js";
import { newId } from "../../shared/ids.js";
import { dialogRules, dialogSettingsOf } from "../dialog-settings.js";
import { enqueueOrderWebhooks, webhookEventsFor } from "../order-webhooks.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";
import type { Manager } from "./manager.js";
import { toJsonObject } from "../../shared/json-value.js";

/** The reason an order cancelled from the managers' card carries in its history and webhook. */
export const managerCancelReason = "cancelled_by_manager";

export type ManagerOrderAction = "resend_confirmation" | "mark_confirmed" | "mark_cancelled";

export type ManagerOrderResult =
  | { type: "done"; action: ManagerOrderAction }
  | { type: "rejected"; code: RejectionCode }
  /** Confirming now would skip what the customer has not settled yet (a short item, the delivery). */
  | { type: "not_ready"; step: DialogStep["name"] }
  | { type: "not_found" };

/**
 * A manager acts on an order from its card. Confirm and cancel go through the same dialog rules
 * as the customer's buttons (a final order stays final, a confirmation needs everything
 * settled) and reach the shop by the same webhooks; the history names the manager.
 */
export async function applyManagerOrderAction(
  deps: ServiceDependencies,
  input: { orderId: string; manager: Manager; action: ManagerOrderAction },
): Promise<ManagerOrderResult> {
  const now = deps.clock.now();
  const { manager, action } = input;
  const actor = `manager:${manager.id}`;
  const result = await withTransaction(deps.db, async (tx): Promise<ManagerOrderResult> => {
    const record = await findOrder(tx, input.orderId);
    if (!record || record.chatId === null) return { type: "not_found" };
    const chatId = record.chatId;
    if (action === "resend_confirmation") {
      if (record.order.state !== "awaiting_customer") return { type: "rejected", code: "ORDER_FINAL" };
      await appendOrderEvents(tx, record.order.id, now, actor, [{ type: "manager.resent_confirmation", data: { manager: manager.name } }]);
      await enqueueHandoffMessage(
        tx,
        chatId,
        { kind: "handoff.dialog", orderId: record.order.id, how: "resend" },
        { key: `resend:${record.order.id}:${newId()}`, now, orderId: record.order.id },
      );
      return { type: "done", action };
    }
    const rules = dialogRules(dialogSettingsOf(record, deps));
    const command =
      action === "mark_confirmed" ? ({ type: "confirm" } as const) : ({ type: "cancel", reason: managerCancelReason } as const);
    const decision = decide(record.order, record.dialog, command, {
      rules: { ...rules, cancelReasons: [...rules.cancelReasons, managerCancelReason] },
      now,
    });
    if (decision.type === "rejected") return { type: "rejected", code: decision.code };
    if (action === "mark_confirmed" && !decision.events.some((e) => e.type === "confirmed"))
      return { type: "not_ready", step: decision.dialog.step.name };
    if ((await saveDecision(tx, record.dialog.version, decision.order, decision.dialog)) === "conflict")
      return { type: "rejected", code: "STALE" };
    for (const event of decision.events) if (event.type === "slot_released") await releaseDeliverySlot(tx, event);
    await appendOrderEvents(
      tx,
      record.order.id,
      now,
      actor,
      decision.events.map(({ type, ...data }) => ({ type: `manager.${type}`, data: toJsonObject({ ...data, manager: manager.name }) })),
    );
    const saved = (await findOrder(tx, record.order.id))!;
    await enqueueOrderWebhooks(tx, saved, webhookEventsFor(decision.events), {
      now,
      botUsername: deps.botUsername,
      ...(action === "mark_cancelled" ? { details: { reason: managerCancelReason } } : {}),
    });
    // The customer's order message shows the new state in place; a cancellation is also told in a
    // new message, which the customer is notified of (an edit makes no sound).
    await enqueueHandoffMessage(
      tx,
      chatId,
      { kind: "handoff.dialog", orderId: record.order.id, how: "refresh" },
      { key: `refresh:${record.order.id}:v${saved.dialog.version}`, now, orderId: record.order.id },
    );
    if (action === "mark_cancelled") {
      await enqueueHandoffMessage(
        tx,
        chatId,
        { kind: "handoff.order_cancelled", orderId: record.order.id },
        { key: `cancelled:${record.order.id}`, now, orderId: record.order.id },
      );
    }
    const handoff = await findLatestHandoff(tx, chatId);
    const group = deps.config().managers.groupChatId;
    if (handoff && group !== null) {
      await enqueueHandoffMessage(
        tx,
        group,
        { kind: "handoff.card", handoffId: handoff.id },
        { key: `${handoff.id}:card:${newId()}`, now, orderId: record.order.id },
      );
    }
    return { type: "done", action };
  });
  deps.outbox.kick();
  return result;
}
