import { AsyncLocalStorage } from "node:async_hooks";
import type { Api } from "grammy";
import type { PresenterDependencies } from "../flows/confirmation/order-dialog-presenter.js";
import { DeliveryError } from "../outbox/delivery-error.js";
import { toOutboxDeliveryError } from "../telegram/telegram-error.js";
import type { Skip } from "../shared/skip-reason.js";
import { intentRegistry } from "./intent-registry.js";

/**
 * Renders and sends what the outbox holds for Telegram. The message is built now, from the
 * order as it is now; an intent that no longer applies (the order was confirmed meanwhile, a
 * manager has the chat) is skipped rather than sent. The intent's `kind` picks its sender in the
 * registry: an unknown kind, or a payload its kind's schema refuses, fails for good.
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
      return sendSlots.run(message.sendSlot ?? (async () => undefined), () => deliverIntent(message.intent));
    },
  };

  async function deliverIntent(intent: unknown): Promise<void | Skip> {
    const kind = typeof intent === "object" && intent !== null && "kind" in intent ? intent.kind : undefined;
    const sender = typeof kind === "string" ? intentRegistry.get(kind) : undefined;
    if (!sender)
      throw new DeliveryError("permanent", `unknown Telegram intent kind ${JSON.stringify(kind ?? null)}: ${JSON.stringify(intent)}`);
    try {
      return await sender.deliver(api, deps, intent);
    } catch (error) {
      throw toOutboxDeliveryError(error);
    }
  }
}

/** The pacing slot of the outbox message being delivered, for the API transformer above. */
const sendSlots = new AsyncLocalStorage<() => Promise<(() => void) | undefined>>();
