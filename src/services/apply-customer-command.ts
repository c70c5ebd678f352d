import { rollBackWith, withTransaction } from "../db/transaction.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { reserveStock } from "../db/stock-repository.js";
import { findOrder, saveDecision, type OrderRecord } from "../db/order-repository.js";
import type { Tx } from "../db/transaction.js";
import { decide, type CustomerCommand, type DialogEvent, type RejectionCode } from "../domain/order-dialog.js";
import type { Order } from "../domain/order.js";
import { newId } from "../shared/ids.js";
import { withCurrentStock } from "./current-stock.js";
import { enqueueDialogAnswer, type AnswerTo } from "./dialog-answer.js";
import { applySlotEvents } from "./delivery-slots.js";
import { dialogRules, dialogSettingsOf } from "./dialog-settings.js";
import { onOrderConfirmed } from "./schedule-order-follow-ups.js";
import { openHandoffInTransaction } from "./handoff/open-handoff.js";
import { enqueueOrderWebhooks, webhookEventsFor } from "./order-webhooks.js";
import type { ServiceDependencies } from "./service-dependencies.js";
import { toJsonObject } from "../shared/json-value.js";

export type CustomerCommandResult =
  | { type: "accepted"; record: OrderRecord; events: DialogEvent[] }
  /** SLOT_FULL: the courier window filled up between showing it and the tap. */
  | { type: "rejected"; code: RejectionCode | "SLOT_FULL"; record: OrderRecord }
  | { type: "not_found" }
  /** The order belongs to another Telegram user: refused and logged. */
  | { type: "not_yours" };

/** Several instances (or a double tap) writing at once: decide again on fresh state. */
const maxAttempts = 20;

/**
 * A customer pressed a button or finished a form about an order. Load, decide, save, record the
 * history and queue the customer's answer and the shop's webhooks, all in one transaction; a
 * concurrent change to the same dialog is detected by its version and the command is decided
 * again on the fresh state. After the commit the answer is sent at once (the customer is
 * watching): when this resolves, the customer's screen shows the result, and should the process
 * die first, the answer is owed like any other message and the outbox sends it.
 */
export async function applyCustomerCommand(deps: ServiceDependencies, input: CustomerCommandInput): Promise<CustomerCommandResult> {
  // A dialog step's latency, as the customer waits for it: the decision and the answer on screen.
  const answered = deps.metrics.dialogStep(input.command.type);
  let outcome = "error";
  try {
    const result = await decideAndAnswer(deps, input);
    outcome = result.type;
    return result;
  } finally {
    answered(outcome);
  }
}

interface CustomerCommandInput {
  orderId: string;
  telegramUserId: bigint;
  command: CustomerCommand;
  expectedVersion?: number;
  /**
   * The order as the caller just read it (to check the tap): decided on without reading it
   * again. Safe, because the save is guarded by the dialog's version; a conflict reads afresh.
   */
  loaded?: OrderRecord;
  /** The message the customer tapped (none: typed text, a form), shown in place when it is the dialog's. */
  answerTo?: AnswerTo;
}

async function decideAndAnswer(deps: ServiceDependencies, input: CustomerCommandInput): Promise<CustomerCommandResult> {
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    let queued = 0;
    let answers: string[] = [];
    const result = await withTransaction(deps.db, async (tx): Promise<CustomerCommandResult | "conflict"> => {
      const record = attempt === 1 && input.loaded?.order.id === input.orderId ? input.loaded : await findOrder(tx, input.orderId);
      if (!record) return { type: "not_found" };
      if (record.chatId !== input.telegramUserId) {
        deps.logger.warn(
          { orderId: input.orderId, telegramUserId: input.telegramUserId.toString(), command: input.command.type },
          "refused a command on another customer's order",
        );
        return { type: "not_yours" };
      }
      const rules = dialogRules(dialogSettingsOf(record, deps));
      const order = await withCurrentStock(tx, record.order);
      const decision = decide(order, record.dialog, input.command, { rules, now }, input.expectedVersion);
      if (decision.type === "rejected") return { type: "rejected", code: decision.code, record };

      // Nothing is written before the version check, so a conflict leaves nothing behind.
      if ((await saveDecision(tx, record.dialog.version, decision.order, decision.dialog, { previous: record.order, now })) === "conflict")
        return "conflict";
      // The place in a courier window: a full one undoes the whole decision.
      if ((await applySlotEvents(tx, decision.events, rules.delivery.courier)) === "full")
        return rollBackWith({ type: "rejected", code: "SLOT_FULL", record });
      // A confirmation takes its units from the stock the shop pushed; if another customer took
      // them a moment ago, decide again: the fresh stock shows the line as short.
      if (decision.events.some((e) => e.type === "confirmed") && (await reserveStock(tx, decision.order.items)) === "short")
        return rollBackWith("conflict");
      if (decision.events.some((e) => e.type === "confirmed")) await recordDeliveryPromise(tx, decision.order, now);
      await appendOrderEvents(
        tx,
        record.order.id,
        now,
        "customer",
        decision.events.map(({ type, ...data }) => ({ type: `customer.${type}`, data: toJsonObject(data) })),
      );
      // What the customer sees next: queued before the handoff's messages, so it goes first.
      answers = await enqueueDialogAnswer(tx, {
        before: record,
        version: decision.dialog.version,
        events: decision.events,
        answerTo: input.answerTo ?? {},
        now,
      });
      // "Talk to a person": the managers' group gets the topic and the card (before the order is
      // read back below, so the shop's webhook says who has the chat now).
      const handedOff = record.chatId !== null && decision.events.some((e) => e.type === "human_requested");
      if (handedOff)
        await openHandoffInTransaction(tx, deps, { chatId: record.chatId, orderId: record.order.id, reason: "customer_request", now });
      // The order as saved: what was decided (read again when the handoff changed who has the chat).
      const saved: OrderRecord = handedOff
        ? (await findOrder(tx, record.order.id))!
        : { ...record, order: decision.order, dialog: { ...record.dialog, ...decision.dialog }, updatedAt: now };
      const cancellation = decision.events.find((e) => e.type === "cancelled");
      queued = await enqueueOrderWebhooks(tx, saved, webhookEventsFor(decision.events), {
        now,
        botUsername: deps.botUsername,
        ...(cancellation ? { details: { reason: cancellation.reason } } : {}),
      });
      // Reminders, the promise watch and the thanks follow a confirmation (durable jobs).
      if (decision.events.some((e) => e.type === "confirmed")) await onOrderConfirmed(tx, { orderId: record.order.id, now });
      return { type: "accepted", record: saved, events: decision.events };
    });
    // Only a committed change owes an answer (a full window or short stock rolled it back).
    if (result === "conflict" || result.type !== "accepted") answers = [];
    // The answer before the kick: what else the change queued for the chat goes after it.
    await deps.outbox.deliverNow(answers);
    if (queued || answers.length) deps.outbox.kick();
    if (result !== "conflict") return result;
    if (attempt >= maxAttempts) throw new Error(`order ${input.orderId}: dialog changed under us ${maxAttempts} times`);
    // Spread the retries of racing writers so they do not collide again in lockstep.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
  }
}

/** Rule 8 (docs/rules-of-the-trade.md): the delivery date the customer confirmed is a promise the reminders keep watch over. */
async function recordDeliveryPromise(tx: Tx, order: Order, now: Date): Promise<void> {
  const date = order.delivery?.date;
  if (!date) return;
  await tx.orderPromise.updateMany({
    where: { orderId: order.id, kind: "delivery", status: "open" },
    data: { status: "superseded", closedAt: now },
  });
  await tx.orderPromise.create({
    data: { id: newId(), orderId: order.id, kind: "delivery", dueDate: date, window: order.delivery?.window ?? null, madeAt: now },
  });
}
