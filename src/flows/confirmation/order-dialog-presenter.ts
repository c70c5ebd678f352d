import type { Api } from "grammy";
import { isMessageGone as isGone, isNotModified } from "../../telegram/telegram-error.js";
import type { ShopConfig } from "../../config/config-schema.js";
import type { OrderRecord } from "../../db/order-repository.js";
import type { Translator } from "../../locales/i18n.js";
import { deliveryDays } from "../../domain/delivery-options.js";
import { customerLanguage } from "../../services/customer-language.js";
import { dialogRules, dialogSettingsOf } from "../../services/dialog-settings.js";
import { readBookedSlots, readOrder, readWithCurrentStock } from "../../services/order-read-model.js";
import { recordDialogMessage } from "../../services/record-dialog-message.js";
import type { ServiceDependencies } from "../../services/service-dependencies.js";
import { renderOrderMessage, type MessageLocale, type Opening, type OutgoingMessage } from "./read-back-message.js";

/** What it takes to show an order's dialog message, from a handler or from the outbox. */
export interface PresenterDependencies {
  services: ServiceDependencies;
  translator: Translator;
}

/** The customer's language for an order: their choice, else the order's, else Telegram's, else the shop's. */
export async function localeForOrder(deps: PresenterDependencies, record: OrderRecord, telegramLanguage?: string): Promise<MessageLocale> {
  const shop: ShopConfig = deps.services.config().shop;
  const language = await customerLanguage(deps.services, {
    chatId: record.chatId,
    customerId: record.order.customer.id,
    orderLanguage: record.order.customer.language,
    telegramLanguage,
  });
  return { t: deps.translator.forLanguage(language), language, shop };
}

export async function renderForRecord(
  deps: PresenterDependencies,
  record: OrderRecord,
  opening: Opening,
  telegramLanguage?: string,
  /** The page of a long list of lines (choosing a line). */
  linePage = 0,
): Promise<OutgoingMessage> {
  const locale = await localeForOrder(deps, record, telegramLanguage);
  const settings = dialogSettingsOf(record, deps.services);
  const rules = dialogRules(settings);
  const now = deps.services.clock.now();
  // Full windows are not offered: read how many places the days on offer hold.
  const step = record.dialog.step;
  const days =
    step.name === "choose_delivery_day"
      ? deliveryDays(now, rules.timeZone, rules.delivery.courier)
      : step.name === "choose_delivery_window"
        ? [step.date]
        : [];
  const booked = days.length ? await readBookedSlots(deps.services, days) : new Map<string, number>();
  // Shown with the stock the decision will be made with: what ran out is not offered.
  const current = { ...record, order: await readWithCurrentStock(deps.services, record.order) };
  return renderOrderMessage(current, locale, { settings, rules, now, booked, opening, linePage });
}

/**
 * Sends the order's dialog as a new message (first contact, after a form, after linking),
 * records it, and takes the buttons off the previous one so only one message is live.
 */
export async function sendOrderMessage(
  api: Api,
  deps: PresenterDependencies,
  orderId: string,
  opening: Opening,
  telegramLanguage?: string,
  /** The order as the caller has it already (just saved): not read again. */
  known?: OrderRecord,
): Promise<number | null> {
  const record = known?.order.id === orderId ? known : await readOrder(deps.services, orderId);
  if (!record || record.chatId === null) return null;
  const message = await renderForRecord(deps, record, opening, telegramLanguage);
  const sent = await api.sendMessage(Number(record.chatId), message.text, {
    parse_mode: "HTML",
    ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
  });
  const what = opening === "none" ? "order.read_back" : `order.read_back.${typeof opening === "object" ? opening.type : opening}`;
  const { previousMessageId } = await recordDialogMessage(deps.services, orderId, sent.message_id, what);
  if (previousMessageId !== null) {
    await api.editMessageReplyMarkup(Number(record.chatId), previousMessageId).catch((error) => {
      if (!isNotModified(error) && !isGone(error)) throw error;
    });
  }
  return sent.message_id;
}

/**
 * Shows the order's current state in the message the customer tapped (edited in place). A tap
 * on another message (an old one) gets a fresh message instead.
 */
export async function updateOrderMessage(
  api: Api,
  deps: PresenterDependencies,
  record: OrderRecord,
  tappedMessageId: number | undefined,
  telegramLanguage?: string,
  opening: Opening = "none",
  linePage = 0,
): Promise<void> {
  if (record.chatId === null) return;
  if (tappedMessageId === undefined || tappedMessageId !== record.dialog.messageId) {
    await sendOrderMessage(api, deps, record.order.id, opening, telegramLanguage, record);
    return;
  }
  const message = await renderForRecord(deps, record, opening, telegramLanguage, linePage);
  try {
    await api.editMessageText(Number(record.chatId), tappedMessageId, message.text, {
      parse_mode: "HTML",
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    });
  } catch (error) {
    if (isNotModified(error)) return;
    if (isGone(error)) {
      await sendOrderMessage(api, deps, record.order.id, "none", telegramLanguage);
      return;
    }
    throw error;
  }
}
