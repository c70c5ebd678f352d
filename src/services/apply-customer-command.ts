import { withTransaction } from "../db/transaction.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { findOrder, saveDecision, type OrderRecord } from "../db/order-repository.js";
import { decide, type CustomerCommand, type DialogEvent, type RejectionCode } from "../domain/order-dialog.js";
import { cancelReasonCodes, readDialogSettings } from "./dialog-settings.js";
import { enqueueOrderWebhooks, webhookEventsFor } from "./order-webhooks.js";
import type { ServiceDependencies } from "./service-dependencies.js";

export type CustomerCommandResult =
  | { type: "accepted"; record: OrderRecord; events: DialogEvent[] }
  | { type: "rejected"; code: RejectionCode; record: OrderRecord }
  | { type: "not_found" }
  /** The order belongs to another Telegram user: refused and logged. */
  | { type: "not_yours" };

/** Several instances (or a double tap) writing at once: decide again on fresh state, a few times. */
const maxAttempts = 5;

/**
 * A customer pressed a button or finished a form about an order. Load, decide, save, record the
 * history and queue the shop's webhooks, all in one transaction; a concurrent change to the same
 * dialog is detected by its version and the command is decided again on the fresh state.
 */
export async function applyCustomerCommand(
  deps: ServiceDependencies,
  input: { orderId: string; telegramUserId: bigint; command: CustomerCommand; expectedVersion?: number },
): Promise<CustomerCommandResult> {
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    let queued = 0;
    const result = await withTransaction(deps.db, async (tx): Promise<CustomerCommandResult | "conflict"> => {
      const record = await findOrder(tx, input.orderId);
      if (!record) return { type: "not_found" };
      if (record.chatId !== input.telegramUserId) {
        deps.logger.warn(
          { orderId: input.orderId, telegramUserId: input.telegramUserId.toString(), command: input.command.type },
          "refused a command on another customer's order",
        );
        return { type: "not_yours" };
      }
      const settings = readDialogSettings(record.dialog.configSnapshot, deps.config());
      const decision = decide(record.order, record.dialog, input.command, { cancelReasons: cancelReasonCodes(settings) }, input.expectedVersion);
      if (decision.type === "rejected") return { type: "rejected", code: decision.code, record };

      if ((await saveDecision(tx, record.dialog.version, decision.order, decision.dialog)) === "conflict") return "conflict";
      await appendOrderEvents(
        tx,
        record.order.id,
        now,
        "customer",
        decision.events.map(({ type, ...data }) => ({ type: `customer.${type}`, data })),
      );
      const saved = (await findOrder(tx, record.order.id))!;
      const cancellation = decision.events.find((e) => e.type === "cancelled");
      queued = await enqueueOrderWebhooks(tx, saved, webhookEventsFor(decision.events), {
        now,
        botUsername: deps.botUsername,
        ...(cancellation ? { details: { reason: cancellation.reason } } : {}),
      });
      return { type: "accepted", record: saved, events: decision.events };
    });
    if (queued) deps.outbox.kick();
    if (result !== "conflict") return result;
    if (attempt >= maxAttempts) throw new Error(`order ${input.orderId}: dialog changed under us ${maxAttempts} times`);
  }
}
