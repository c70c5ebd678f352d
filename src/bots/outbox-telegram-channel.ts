import { AsyncLocalStorage } from "node:async_hooks";
import type { Api } from "grammy";
import { z } from "zod";
import { findActiveHandoff } from "../db/handoff-repository.js";
import { findOrder } from "../db/order-repository.js";
import { deliverDialogAnswer, parseDialogAnswerIntent } from "../flows/confirmation/dialog-answer-sender.js";
import { sendOrderMessage, type PresenterDependencies } from "../flows/confirmation/order-dialog-presenter.js";
import { deliverHandoffIntent, parseHandoffIntent } from "../flows/handoff/handoff-sender.js";
import { deliverNotification, parseNotificationIntent } from "../flows/notifications/notification-sender.js";
import { deliverReturnIntent, parseReturnIntent } from "../flows/returns/return-sender.js";
import { DeliveryError } from "../outbox/delivery-error.js";
import { toOutboxDeliveryError } from "../telegram/telegram-error.js";
import type { Skip } from "../shared/skip-reason.js";
import { withPersonSkip } from "../services/schedule-order-follow-ups.js";

const intentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("order.read_back"), orderId: z.string(), reason: z.enum(["new", "updated"]) }),
]);

/**
 * Renders and sends what the outbox holds for Telegram. The message is built now, from the
 * order as it is now; an intent that no longer applies (the order was confirmed meanwhile, a
 * manager has the chat) is skipped rather than sent.
 */
export function outboxTelegramChannel(api: Api, deps: PresenterDependencies) {
  // Each sending call waits for its slot under the rate limits right before the request, after
  // the message was rendered (see TelegramSender.pacesOwnSends).
  api.config.use(async (prev, method, payload, signal) => {
    if (!method.startsWith("send")) return prev(method, payload, signal);
    const sent = await sendSlots.getStore()?.();
    try {
      return await prev(method, payload, signal);
    } finally {
      sent?.();
    }
  });
  return {
    pacesOwnSends: true,
    deliver(message: { intent: unknown; sendSlot?: () => Promise<() => void> }): Promise<void | Skip> {
      return sendSlots.run(message.sendSlot ?? (async () => undefined), () => deliverIntent(message));
    },
  };

  async function deliverIntent(message: { intent: unknown }): Promise<void | Skip> {
    // The customer's answer to their own change of the dialog (src/flows/confirmation).
    const answer = parseDialogAnswerIntent(message.intent);
    if (answer) {
      return deliverDialogAnswer(api, deps, answer).catch((error: unknown) => {
        throw toOutboxDeliveryError(error);
      });
    }
    // Reminders, status news, nudges... (src/flows/notifications).
    const notification = parseNotificationIntent(message.intent);
    if (notification) {
      return deliverNotification(api, deps, notification).catch((error: unknown) => {
        throw toOutboxDeliveryError(error);
      });
    }
    // The managers' topics and the handoff's messages to the customer (src/flows/handoff).
    const handoff = parseHandoffIntent(message.intent);
    if (handoff) {
      return deliverHandoffIntent(api, deps, handoff).catch((error: unknown) => {
        throw toOutboxDeliveryError(error);
      });
    }
    // What the shop did with a return request (src/flows/returns).
    const returnIntent = parseReturnIntent(message.intent);
    if (returnIntent) {
      return deliverReturnIntent(api, deps, returnIntent).catch((error: unknown) => {
        throw toOutboxDeliveryError(error);
      });
    }
    const parsed = intentSchema.safeParse(message.intent);
    if (!parsed.success) throw new DeliveryError("permanent", `unknown Telegram intent: ${JSON.stringify(message.intent)}`);
    const intent = parsed.data;
    const record = await findOrder(deps.services.db, intent.orderId);
    if (!record) return { skipped: "the order no longer exists" };
    if (record.order.state !== "awaiting_customer") return { skipped: `the order is ${record.order.state}` };
    if (record.dialog.owner !== "bot") return withPersonSkip(record.dialog.owner);
    // An order that arrived while a person has the chat: shown when the chat is handed back.
    if (record.chatId !== null && (await findActiveHandoff(deps.services.db, record.chatId))) return { skipped: "a person has the chat", code: "with_person" };
    try {
      await sendOrderMessage(api, deps, intent.orderId, intent.reason === "new" ? "greeting" : "updated");
    } catch (error) {
      throw toOutboxDeliveryError(error);
    }
  }
}

/** The pacing slot of the outbox message being delivered, for the API transformer above. */
const sendSlots = new AsyncLocalStorage<() => Promise<(() => void) | undefined>>();
