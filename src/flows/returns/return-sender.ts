import type { Api } from "grammy";
import { z } from "zod";
import { findOrder } from "../../db/order-repository.js";
import { findReturnRequest } from "../../db/return-request-repository.js";
import { customerLanguage } from "../../services/customer-language.js";
import { holdReturnMessageIfWithPerson } from "../../services/returns/held-return-messages.js";
import type { ReturnIntent } from "../../services/returns/update-return-status.js";
import type { PresenterDependencies } from "../confirmation/order-dialog-presenter.js";
import { plainText, returnStatusMessage } from "./return-messages.js";
import type { Skip } from "../../shared/skip-reason.js";

const returnIntentSchema = z.object({ kind: z.literal("return.status"), returnId: z.string().min(1), seq: z.int().min(1) });

/** A return intent from the outbox, or null when the intent is not one of ours. */
export function parseReturnIntent(intent: unknown): ReturnIntent | null {
  const parsed = returnIntentSchema.safeParse(intent);
  return parsed.success ? parsed.data : null;
}

/**
 * Tells the customer what the shop did with their return, in the language they filled the form
 * in. Rendered from the request's history entry the intent names, so a message that waited for
 * contact hours (or for a person to give the chat back) says what the shop said then.
 *
 * While a person has the chat (waiting for a manager, or taken) the bot does not talk over them:
 * the message is held, and the managers read it in the customer's topic, so they can pass it on
 * themselves; it goes out when the chat is the bot's again (see held-return-messages.ts).
 * Telegram's errors are thrown as they are.
 */
export async function deliverReturnIntent(api: Api, deps: PresenterDependencies, intent: ReturnIntent): Promise<void | Skip> {
  const { db } = deps.services;
  const request = await findReturnRequest(db, intent.returnId);
  const entry = request?.history[intent.seq - 1];
  if (!request || !entry) return { skipped: "the return request no longer exists" };
  const record = await findOrder(db, request.orderId);
  if (!record) return { skipped: "the order no longer exists" };
  const config = deps.services.config();
  const shop = config.shop;
  // The language the form was filled in, unless the customer has chosen another since.
  const language = await customerLanguage(deps.services, { chatId: request.chatId, customerId: record.order.customer.id, orderLanguage: request.language });
  const locale = { t: deps.translator.forLanguage(language), language, shop };
  const orderNumber = record.order.externalId;
  const message = returnStatusMessage(entry, { orderId: record.order.id, orderNumber, currency: record.order.currency, estimates: config.returns.estimates }, locale);

  const tm = deps.translator.forLanguage(config.managers.language);
  const held = await holdReturnMessageIfWithPerson(deps.services, {
    chatId: request.chatId,
    orderId: request.orderId,
    intent,
    managersNote: { orderNumber, status: tm(`returns.statusNames.${entry.status}`), message: plainText(message.text) },
  });
  if (held.type === "held") return { skipped: "held while a person has the chat; it goes out when the chat is the bot's again", code: "with_person" };

  await api.sendMessage(Number(request.chatId), message.text, {
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
    ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
  });
}
