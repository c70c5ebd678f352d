import type { OrderRecord } from "../db/order-repository.js";
import type { Tx } from "../db/transaction.js";
import type { DialogEvent } from "../domain/order-dialog.js";
import { enqueueOutbox } from "../outbox/enqueue-outbox.js";
import type { ServiceDependencies } from "./service-dependencies.js";
import type { DialogAnswerIntent, DialogViewOpening } from "./telegram-intents.js";

/** Where the customer acted: the message they tapped (none for typed text), in which language. */
export interface AnswerTo {
  messageId?: number;
  telegramLanguage?: string;
}

/** Builds an AnswerTo from what an update carries (either may be absent). */
export const answerTo = (messageId: number | undefined, telegramLanguage: string | undefined): AnswerTo => ({
  ...(messageId === undefined ? {} : { messageId }),
  ...(telegramLanguage === undefined ? {} : { telegramLanguage }),
});

const viewKeyPrefix = (orderId: string) => `dialog-view:${orderId}:v`;

/**
 * Queues the customer's answer to a change of their order's dialog, in the transaction that
 * makes the change: the dialog as it now stands (in the tapped message, or as a new message)
 * and, for "Talk to a person", the promise that one will answer. Returns the rows' keys, for the
 * caller to deliver at once after committing (see OutboxDispatcher.deliverNow).
 */
export async function enqueueDialogAnswer(
  tx: Tx,
  input: { before: OrderRecord; version: number; events: DialogEvent[]; answerTo: AnswerTo; now: Date },
): Promise<string[]> {
  const { before, version, events, answerTo, now } = input;
  if (before.chatId === null) return [];
  const orderId = before.order.id;
  const language = answerTo.telegramLanguage === undefined ? {} : { telegramLanguage: answerTo.telegramLanguage };
  const messageId = before.dialog.messageId;
  const view: DialogAnswerIntent = {
    kind: "order.dialog_view",
    orderId,
    version,
    messageId,
    how: messageId !== null && answerTo.messageId === messageId ? "edit" : "send",
    opening: openingFor(events),
    ...language,
  };
  const owed: Array<{ key: string; intent: DialogAnswerIntent }> = [{ key: `${viewKeyPrefix(orderId)}${version}`, intent: view }];
  if (events.some((e) => e.type === "human_requested")) {
    owed.push({ key: `human-requested:${orderId}:v${version}`, intent: { kind: "order.human_requested", orderId, version, ...language } });
  }
  for (const { key, intent } of owed) {
    await enqueueOutbox(tx, { channel: "telegram", chatId: before.chatId, orderId, intent }, { idempotencyKey: key, now });
  }
  return owed.map((o) => o.key);
}

/** Stock ran out, or the chosen delivery time passed, between the read-back and the tap. */
function openingFor(events: DialogEvent[]): DialogViewOpening {
  const passed = events.find((e) => e.type === "slot_passed");
  if (events.some((e) => e.type === "shortage_found")) return "stock_changed";
  return passed ? { type: "slot_passed", date: passed.date, window: passed.window } : "none";
}

/**
 * A view of a newer version of this order's dialog has been shown, or is on its way (queued
 * behind this one): this one would only show an older moment, so it is not sent.
 */
export async function newerDialogViewOwed(deps: Pick<ServiceDependencies, "db">, orderId: string, version: number): Promise<boolean> {
  const prefix = viewKeyPrefix(orderId);
  const views = await deps.db.outboxMessage.findMany({
    where: { orderId, channel: "telegram", idempotencyKey: { startsWith: prefix }, status: { in: ["pending", "sending", "sent"] } },
    select: { idempotencyKey: true },
  });
  return views.some((row) => Number(row.idempotencyKey.slice(prefix.length)) > version);
}
