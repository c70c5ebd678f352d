import { readReturnRequest } from "../../services/outbox-read-models.js";
import { holdReturnMessageIfWithPerson } from "../../services/returns/held-return-messages.js";
import { customerLanguage } from "../../services/customer-language.js";
import type { OrderRecord } from "../../db/order-repository.js";
import type { ReturnHistoryEntry, ReturnRequestRecord } from "../../db/return-request-repository.js";
import { returnIntentSchemas } from "../../services/returns/return-intent.js";
import type { Skip } from "../../shared/skip-reason.js";
import { defineKinds } from "../sending/intent-kind.js";
import { plainText, returnStatusMessage } from "./return-messages.js";

interface ReturnModel {
  request: ReturnRequestRecord;
  record: OrderRecord;
  /** The history entry the message is about. */
  entry: ReturnHistoryEntry;
}

/**
 * Tells the customer what the shop did with their return, in the language they filled the form
 * in. Rendered from the request's history entry the intent names, so a message that waited for
 * contact hours (or for a person to give the chat back) says what the shop said then.
 *
 * While a person has the chat (waiting for a manager, or taken) the bot does not talk over them:
 * the message is held, and the managers read it in the customer's topic, so they can pass it on
 * themselves; it goes out when the chat is the bot's again (see held-return-messages.ts).
 */
export const returnKinds = defineKinds(returnIntentSchemas, {
  async read(deps, intent): Promise<ReturnModel | Skip> {
    const found = await readReturnRequest(deps.services, intent.returnId);
    const entry = found?.request.history[intent.seq - 1];
    if (!found || !entry) return { skipped: "the return request no longer exists" };
    if (!found.record) return { skipped: "the order no longer exists" };
    return { request: found.request, record: found.record, entry };
  },
  stillApplies: () => null,
  async render({ request, record, entry }, intent, deps) {
    const config = deps.services.config();
    // The language the form was filled in, unless the customer has chosen another since.
    const language = await customerLanguage(deps.services, {
      chatId: request.chatId,
      customerId: record.order.customer.id,
      orderLanguage: request.language,
    });
    const locale = { t: deps.translator.forLanguage(language), language, shop: config.shop };
    const orderNumber = record.order.externalId;
    const message = returnStatusMessage(
      entry,
      { orderId: record.order.id, orderNumber, currency: record.order.currency, estimates: config.returns.estimates },
      locale,
    );
    // Holding is the service's decision (and its record): a person's chat is not talked over.
    const tm = deps.translator.forLanguage(config.managers.language);
    const held = await holdReturnMessageIfWithPerson(deps.services, {
      chatId: request.chatId,
      orderId: request.orderId,
      intent,
      managersNote: { orderNumber, status: tm(`returns.statusNames.${entry.status}`), message: plainText(message.text) },
    });
    if (held.type === "held")
      return { skipped: "held while a person has the chat; it goes out when the chat is the bot's again", code: "with_person" };
    const options = {
      parse_mode: "HTML" as const,
      link_preview_options: { is_disabled: true },
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    };
    return [{ method: "sendMessage", chatId: request.chatId, text: message.text, options }];
  },
});
