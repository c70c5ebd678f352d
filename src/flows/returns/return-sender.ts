import type { Api } from "grammy";
import { z } from "zod";
import { findOrder } from "../../db/order-repository.js";
import { findReturnRequest } from "../../db/return-request-repository.js";
import { customerLanguage } from "../../services/customer-language.js";
import type { ReturnIntent } from "../../services/returns/update-return-status.js";
import type { PresenterDependencies } from "../confirmation/order-dialog-presenter.js";
import { returnStatusMessage } from "./return-messages.js";

const returnIntentSchema = z.object({ kind: z.literal("return.status"), returnId: z.string().min(1), seq: z.int().min(1) });

/** A return intent from the outbox, or null when the intent is not one of ours. */
export function parseReturnIntent(intent: unknown): ReturnIntent | null {
  const parsed = returnIntentSchema.safeParse(intent);
  return parsed.success ? parsed.data : null;
}

/**
 * Tells the customer what the shop did with their return, in the language they filled the form
 * in. Rendered from the request's history entry the intent names, so a message that waited for
 * contact hours says what the shop said then. Telegram's errors are thrown as they are.
 */
export async function deliverReturnIntent(api: Api, deps: PresenterDependencies, intent: ReturnIntent): Promise<void | { skipped: string }> {
  const { db } = deps.services;
  const request = await findReturnRequest(db, intent.returnId);
  const entry = request?.history[intent.seq - 1];
  if (!request || !entry) return { skipped: "the return request no longer exists" };
  const record = await findOrder(db, request.orderId);
  if (!record) return { skipped: "the order no longer exists" };
  const shop = deps.services.config().shop;
  // The language the form was filled in, unless the customer has chosen another since.
  const language = await customerLanguage(deps.services, { chatId: request.chatId, customerId: record.order.customer.id, orderLanguage: request.language });
  const locale = { t: deps.translator.forLanguage(language), language, shop };
  const message = returnStatusMessage(entry, { orderNumber: record.order.externalId, currency: record.order.currency }, locale);
  await api.sendMessage(Number(request.chatId), message.text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
}
