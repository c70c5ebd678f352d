import { GrammyError, HttpError, type Api } from "grammy";
import { z } from "zod";
import { findOrder } from "../db/order-repository.js";
import { sendOrderMessage, type PresenterDependencies } from "../flows/confirmation/order-dialog-presenter.js";
import { DeliveryError } from "../outbox/delivery-error.js";

/** Telegram's answer as the outbox understands it: wait and retry, give up, or the chat is gone. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof GrammyError) {
    const description = `${error.method}: ${error.error_code} ${error.description}`;
    if (error.error_code === 429) {
      return new DeliveryError("retry", description, { retryAfterMs: (error.parameters.retry_after ?? 1) * 1000, cause: error });
    }
    if (error.error_code === 403) return new DeliveryError("unreachable", description, { cause: error });
    if (error.error_code >= 500) return new DeliveryError("retry", description, { cause: error });
    return new DeliveryError("permanent", description, { cause: error });
  }
  if (error instanceof HttpError) return new DeliveryError("retry", `network: ${error.message}`, { cause: error });
  return new DeliveryError("retry", String(error), { cause: error });
}

const intentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("order.read_back"), orderId: z.string(), reason: z.enum(["new", "updated"]) }),
]);

/**
 * Renders and sends what the outbox holds for Telegram. The message is built now, from the
 * order as it is now; an intent that no longer applies (the order was confirmed meanwhile, a
 * manager has the chat) is skipped rather than sent.
 */
export function outboxTelegramChannel(api: Api, deps: PresenterDependencies) {
  return {
    async deliver(message: { intent: unknown }): Promise<void | { skipped: string }> {
      const parsed = intentSchema.safeParse(message.intent);
      if (!parsed.success) throw new DeliveryError("permanent", `unknown Telegram intent: ${JSON.stringify(message.intent)}`);
      const intent = parsed.data;
      const record = await findOrder(deps.services.db, intent.orderId);
      if (!record) return { skipped: "the order no longer exists" };
      if (record.order.state !== "awaiting_customer") return { skipped: `the order is ${record.order.state}` };
      if (record.dialog.owner !== "bot") return { skipped: `the chat is with ${record.dialog.owner}` };
      try {
        await sendOrderMessage(api, deps, intent.orderId, intent.reason === "new" ? "greeting" : "updated");
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}
