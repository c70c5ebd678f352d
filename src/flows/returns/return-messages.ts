import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { ReturnEstimates, ReturnReasonSetting, ReturnsConfig } from "../../config/returns-config.js";
import type { ReturnHistoryEntry } from "../../db/return-request-repository.js";
import { formatMoney, parseMoney } from "../../domain/money.js";
import type { ReturnResolution } from "../../domain/return-request.js";
import { escapeHtml, type Translate } from "../../locales/i18n.js";
import type { ReturnStart, ReturnSummary } from "../../services/returns/return-start.js";
import type { ReturnStatusDetails } from "../../services/returns/update-return-status.js";
import type { MessageLocale, OutgoingMessage } from "../confirmation/read-back-message.js";
import { talkToPersonData } from "../handoff/handoff-callback.js";
import { packReturnFormTap, packReturnPersonCallback, type ReturnFormTap } from "./return-callback.js";
import { dateTimeFormat } from "../../shared/intl-formats.js";

/** "24 November" of an instant, in the shop's time zone. */
export const formatReturnDate = (iso: string, locale: Pick<MessageLocale, "language" | "shop">): string =>
  dateTimeFormat(locale.language, { day: "numeric", month: "long", timeZone: locale.shop.timeZone }).format(new Date(iso));

export const formButton = (text: string, tap: ReturnFormTap): InlineKeyboardButton => ({ text, callback_data: packReturnFormTap(tap) });
/** Under every question of the form: leave it, or hand the chat to a person. */
export const leaveRow = (t: Translate): InlineKeyboardButton[] => [
  formButton(t("returns.buttons.cancel"), { type: "cancel" }),
  formButton(t("returns.buttons.person"), { type: "person" }),
];

/** "Talk to a person" about an order's return (escalates that order, see return-flow.ts). */
const orderPersonKeyboard = (orderId: string, t: Translate): InlineKeyboardMarkup => ({
  inline_keyboard: [[{ text: t("returns.buttons.person"), callback_data: packReturnPersonCallback(orderId) }]],
});
/** "Talk to a person" without an order (the same button as /help's). */
const chatPersonKeyboard = (t: Translate): InlineKeyboardMarkup => ({
  inline_keyboard: [[{ text: t("returns.buttons.person"), callback_data: talkToPersonData }]],
});

/** /return when the customer has no delivered order: a person can still help. */
export const noDeliveredOrdersMessage = ({ t, shop }: MessageLocale): OutgoingMessage => ({
  text: t("returns.menu.none", { shopName: shop.name }),
  reply_markup: chatPersonKeyboard(t),
});

type Label = { code: string; label: Partial<Record<string, string>> };
const ownLabel = (option: Label, language: string) =>
  option.label[language] ?? option.label.en ?? Object.values(option.label)[0] ?? option.code;

export function reasonLabel(reason: ReturnReasonSetting, locale: Pick<MessageLocale, "t" | "language">): string {
  return typeof reason === "string" ? locale.t(`returns.reasons.${reason}`, { defaultValue: reason }) : ownLabel(reason, locale.language);
}

/** The label of a stored reason code, read from the configuration in force (the code itself if the owner removed it). */
export function reasonLabelOf(
  code: string,
  reasons: readonly ReturnReasonSetting[],
  locale: Pick<MessageLocale, "t" | "language">,
): string {
  const reason = reasons.find((r) => (typeof r === "string" ? r : r.code) === code);
  return reason ? reasonLabel(reason, locale) : locale.t(`returns.reasons.${code}`, { defaultValue: code });
}

export const resolutionLabel = (resolution: ReturnResolution, t: Translate): string => t(`returns.resolutions.${resolution}`);

export function exchangeLabel(exchangeFor: string, options: ReturnsConfig["exchangeOptions"], language: string): string {
  const option = options.find((o) => o.code === exchangeFor);
  return option ? ownLabel(option, language) : exchangeFor;
}

const summaryItems = (summary: ReturnSummary) => summary.items.map((item) => `${item.name} × ${item.quantity}`).join(", ");

/** Why a return cannot start (or go out), in the customer's words; a closed window offers a person. */
export function refusalMessage(start: Exclude<ReturnStart, { type: "eligible" }>, locale: MessageLocale): OutgoingMessage {
  const { t, shop } = locale;
  switch (start.type) {
    case "window_closed":
      return {
        text: t("returns.refusals.windowClosed", {
          orderNumber: start.orderNumber,
          date: formatReturnDate(start.closedAt, locale),
          shopName: shop.name,
        }),
        reply_markup: orderPersonKeyboard(start.orderId, t),
      };
    case "not_delivered":
      return { text: t("returns.refusals.notDelivered", { orderNumber: start.orderNumber }) };
    case "nothing_returnable":
      return {
        text: t("returns.refusals.nothingReturnable", { orderNumber: start.orderNumber, shopName: shop.name }),
        reply_markup: orderPersonKeyboard(start.orderId, t),
      };
    case "already_requested":
      return {
        text: start.open
          ? t("returns.refusals.alreadyRequested", {
              orderNumber: start.orderNumber,
              date: formatReturnDate(start.open.createdAt, locale),
              items: summaryItems(start.open),
              status: t(`returns.statusNames.${start.open.status}`),
            })
          : t("returns.refusals.allRequested", { orderNumber: start.orderNumber }),
      };
    case "disabled":
      return { text: t("returns.refusals.disabled", { shopName: shop.name }), reply_markup: chatPersonKeyboard(t) };
    case "with_person":
      return { text: t("returns.person.already", { shopName: shop.name }) };
    case "not_found":
    case "not_yours":
      return { text: t("returns.refusals.notFound") };
  }
}

/**
 * What the shop's status means for the customer, with what the shop said along with it; a
 * rejection carries "Talk to a person" (a person looks at it again).
 */
export function returnStatusMessage(
  entry: ReturnHistoryEntry,
  context: { orderId: string; orderNumber: string; currency: string; estimates: ReturnEstimates },
  locale: MessageLocale,
): OutgoingMessage {
  const { t, language } = locale;
  const details = entry.details as ReturnStatusDetails;
  const names = { orderNumber: context.orderNumber, shopName: locale.shop.name };
  const amount = () => {
    if (!details.amount) return null;
    const parsed = parseMoney(details.amount, context.currency);
    return parsed.ok ? formatMoney(parsed.minor, context.currency, language) : `${details.amount} ${context.currency}`;
  };
  const lines: string[] = [];
  switch (entry.status) {
    case "approved": {
      lines.push(t("returns.updates.approved", names));
      const instructions = details.instructions ?? {};
      if (instructions.labelUrl) lines.push(t("returns.updates.labelUrl", { url: instructions.labelUrl }));
      if (instructions.address) lines.push(t("returns.updates.address", { address: instructions.address }));
      const pickup = instructions.pickup;
      if (pickup) {
        if (pickup.date) {
          const date = dateTimeFormat(language, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(
            new Date(`${pickup.date}T00:00:00Z`),
          );
          lines.push(
            pickup.window
              ? t("returns.updates.pickupDateWindow", { date, window: pickup.window })
              : t("returns.updates.pickupDate", { date }),
          );
        } else {
          lines.push(t("returns.updates.pickupLater"));
        }
        if (pickup.note) lines.push(escapeHtml(pickup.note));
      }
      if (instructions.note) lines.push(escapeHtml(instructions.note));
      break;
    }
    case "rejected":
      lines.push(t("returns.updates.rejected", { ...names, reason: details.reason ?? "" }), t("returns.updates.rejectedHelp", names));
      break;
    case "received":
      lines.push(joinSentences(t("returns.updates.received", names), estimateLine("processing", context.estimates, locale)));
      break;
    case "refunded": {
      const sum = amount();
      const issued = sum ? t("returns.updates.refundedAmount", { ...names, amount: sum }) : t("returns.updates.refunded", names);
      lines.push(joinSentences(issued, estimateLine("refund", context.estimates, locale) ?? t("returns.updates.refundTime")));
      break;
    }
    case "exchanged":
      lines.push(joinSentences(t("returns.updates.exchanged", names), estimateLine("exchange", context.estimates, locale)));
      break;
    case "credited": {
      const sum = amount();
      lines.push(sum ? t("returns.updates.creditedAmount", { ...names, amount: sum }) : t("returns.updates.credited", names));
      if (details.code) lines.push(t("returns.updates.creditCode", { code: details.code }));
      break;
    }
    case "requested":
      break;
  }
  // The shop's notes are plain text: escaped like every placeholder.
  if (details.note && entry.status !== "approved") lines.push(escapeHtml(details.note));
  return { text: lines.join("\n"), ...(entry.status === "rejected" ? { reply_markup: orderPersonKeyboard(context.orderId, t) } : {}) };
}

/** "Refunds usually reach your account within 5 working days.", when the shop gave that step a time. */
export function estimateLine(step: keyof ReturnEstimates, estimates: ReturnEstimates, locale: MessageLocale): string | null {
  const days = estimates[step];
  return days === null ? null : locale.t(`returns.estimates.${step}`, { count: days, shopName: locale.shop.name });
}

const joinSentences = (first: string, second: string | null): string => (second ? `${first} ${second}` : first);

const entities: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" };

/** A message of ours as plain text (tags dropped, entities decoded), to be quoted inside another text. */
export const plainText = (html: string): string =>
  html.replace(/<[^>]*>/g, "").replace(/&(lt|gt|quot|#39|amp);/g, (entity) => entities[entity]!);

export const keyboard = (rows: InlineKeyboardButton[][]): InlineKeyboardMarkup => ({ inline_keyboard: rows });
