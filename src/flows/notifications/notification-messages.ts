import type { InlineKeyboardMarkup } from "grammy/types";
import type { Tracking } from "../../db/follow-up-repository.js";
import type { OrderRecord } from "../../db/order-repository.js";
import type { Language } from "../../locales/supported-languages.js";
import type { DeliveryStatus, NotificationIntent } from "../../services/notification-intents.js";
import type { MessageLocale, OutgoingMessage } from "../confirmation/read-back-message.js";
import { returnStartButton } from "../returns/return-callback.js";
import { packRatingCallback, ratingCallbackPattern } from "./rating-callback.js";
import { dateTimeFormat } from "../../shared/intl-formats.js";
import { relativeDay } from "../../domain/promise.js";
import type { RemedyKind } from "../../domain/delivery-remedies.js";
import { remedyRows } from "../remedies/remedy-callback.js";
import { fitHtml } from "../../shared/telegram-limits.js";

/** What a notification is rendered from: the order as it is when the message goes out. */
export interface NotificationContext {
  record: OrderRecord;
  tracking: Tracking;
  deliveryStatus: string | null;
  /** Whether to ask for a rating under "delivered" (enabled, and not rated yet). */
  askForRating: boolean;
  /** Whether "delivered" offers "Return items" (returns on, returnable items, within the window). */
  offerReturn?: boolean;
  /** The configured pickup point the customer chose (delivery.pointId), if any. */
  pickupPoint?: { name: string; address: string; hours: string } | null;
  /** The day the message goes out, in the shop's time zone (ISO date): "today" and "tomorrow" are counted from it. */
  today: string;
  /** The ways out offered under a moved or broken date or a failed attempt (src/services/delivery-remedy.ts). */
  remedies?: readonly RemedyKind[];
}

/** "Wednesday, December 2": a calendar day, so formatted in UTC (it is not an instant). */
export const formatDay = (isoDate: string, language: Language): string =>
  dateTimeFormat(language, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${isoDate}T00:00:00Z`));

/** "Wednesday, December 2, 18:00" of an instant, in the shop's time zone. */
const formatInstant = (iso: string, locale: MessageLocale): string => {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return dateTimeFormat(locale.language, {
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: locale.shop.timeZone,
  }).format(instant);
};

const methodName = (method: string, locale: MessageLocale): string =>
  ["courier", "pickup", "post"].includes(method) ? locale.t(`order.methods.${method}`) : method;

export function ratingKeyboard(orderId: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [1, 2, 3, 4, 5].map((score) => ({
        text: `${score} ⭐`,
        callback_data: packRatingCallback({ orderId, action: { type: "rate", score } }),
      })),
    ],
  };
}

/**
 * The rows of the delivered message that are not the rating's ("Return items"): kept when the
 * rating buttons are replaced (rating-flow.ts), so the customer can still start a return.
 */
export function rowsBesideRating(markup: InlineKeyboardMarkup | undefined): InlineKeyboardMarkup["inline_keyboard"] {
  return (markup?.inline_keyboard ?? []).filter(
    (row) => !row.some((button) => "callback_data" in button && ratingCallbackPattern.test(button.callback_data ?? "")),
  );
}

function statusLines(status: DeliveryStatus, context: NotificationContext, locale: MessageLocale): string[] {
  const { t, language } = locale;
  const { tracking } = context;
  const onTheWay = ["accepted", "packed", "shipped", "in_transit", "at_sorting_center", "out_for_delivery", "delivery_failed"].includes(
    status,
  );
  // A date already gone is not presented as expected; "today" only when it is today.
  const expected =
    onTheWay && tracking.expectedDate ? { date: tracking.expectedDate, when: relativeDay(tracking.expectedDate, context.today) } : null;
  const statusText =
    status === "out_for_delivery" && expected && expected.when !== "today"
      ? t("notifications.status.out_for_delivery_dated")
      : t(`notifications.status.${status}`);
  const lines = [t("notifications.status.title", { orderNumber: context.record.order.externalId }), statusText];
  if (status === "delivery_failed" && tracking.failureReason)
    lines.push(t(`notifications.status.failureReasons.${tracking.failureReason}`));
  if (expected?.when === "tomorrow") lines.push(t("notifications.status.expectedTomorrow", { date: formatDay(expected.date, language) }));
  else if (expected?.when === "later" || (expected?.when === "today" && status !== "out_for_delivery")) {
    lines.push(t("notifications.status.expected", { date: formatDay(expected.date, language) }));
  }
  if (onTheWay && tracking.number) {
    lines.push(
      tracking.carrier
        ? t("notifications.status.trackingCarrier", { number: tracking.number, carrier: tracking.carrier })
        : t("notifications.status.tracking", { number: tracking.number }),
    );
  }
  if (onTheWay && tracking.url) lines.push(t("notifications.status.trackingLink", { url: tracking.url }));
  if (status === "ready_for_pickup") {
    const { point, address, hours, storageUntil } = pickupDetails(tracking, context.pickupPoint ?? null);
    if (point) lines.push(t("notifications.status.pickupPoint", { point }));
    if (address) lines.push(t("notifications.status.pickupAddress", { address }));
    if (hours) lines.push(t("notifications.status.pickupHours", { hours }));
    if (storageUntil) lines.push(t("notifications.status.pickupUntil", { date: formatInstant(storageUntil, locale) }));
  }
  return lines;
}

/**
 * Where the parcel waits: what the shop sent with the status, and what it left out from the
 * configured point the customer chose (its name, address, opening hours), unless the shop named
 * another place (a carrier's locker, say).
 */
function pickupDetails(tracking: Tracking, chosen: NotificationContext["pickupPoint"]): NonNullable<Tracking["pickup"]> {
  const sent = tracking.pickup ?? { point: null, address: null, hours: null, storageUntil: null };
  const samePlace = chosen && (!sent.point || sent.point === chosen.name) && (!sent.address || sent.address === chosen.address);
  if (!samePlace) return sent;
  return {
    point: sent.point ?? chosen.name,
    address: sent.address ?? chosen.address,
    hours: sent.hours ?? chosen.hours,
    storageUntil: sent.storageUntil,
  };
}

/**
 * The text (and buttons) of a notification, in the customer's language, within Telegram's 4096
 * characters (the API's limits on names, addresses and tracking keep it well inside; a text that
 * is not keeps its first whole lines). The nudge is not here: it is the order's read-back with a
 * line in front (see notification-sender.ts).
 */
export function renderNotification(
  intent: Exclude<NotificationIntent, { kind: "notify.nudge" }>,
  context: NotificationContext,
  locale: MessageLocale,
): OutgoingMessage {
  const message = renderText(intent, context, locale);
  const remedies = context.remedies ?? [];
  if (remedies.length === 0 || !offersRemedies(intent)) return { ...message, text: fitHtml(message.text) };
  // The problem's message carries the ways out (rule 10): "What suits you best?" and a button each.
  const ask = locale.t("notifications.remedies.ask", { orderNumber: context.record.order.externalId });
  return {
    text: `${fitHtml(message.text, 4096 - ask.length - 2)}\n\n${ask}`,
    reply_markup: {
      inline_keyboard: [...(message.reply_markup?.inline_keyboard ?? []), ...remedyRows(context.record.order.id, remedies, locale.t)],
    },
  };
}

/** The messages that tell of a problem the customer may choose a way out of. */
export const offersRemedies = (intent: NotificationIntent): boolean =>
  intent.kind === "notify.promise_moved" ||
  intent.kind === "notify.promise_broken" ||
  (intent.kind === "notify.status" && intent.status === "delivery_failed");

function renderText(
  intent: Exclude<NotificationIntent, { kind: "notify.nudge" }>,
  context: NotificationContext,
  locale: MessageLocale,
): OutgoingMessage {
  const { t, language, shop } = locale;
  const { order } = context.record;
  const names = { customerName: order.customer.name, orderNumber: order.externalId, shopName: shop.name };
  switch (intent.kind) {
    case "notify.delivery_reminder": {
      const date = formatDay(intent.date, language);
      const lines = [
        intent.window
          ? t("notifications.reminder.window", { ...names, date, window: intent.window })
          : t("notifications.reminder.day", { ...names, date }),
      ];
      if (order.delivery?.method) lines.push(t("notifications.reminder.method", { method: methodName(order.delivery.method, locale) }));
      if (order.delivery?.address) lines.push(t("notifications.reminder.address", { address: order.delivery.address }));
      lines.push("", t("notifications.reminder.footer"));
      return { text: lines.join("\n") };
    }
    case "notify.status": {
      const lines = statusLines(intent.status, context, locale);
      if (intent.status !== "delivered") return { text: lines.join("\n") };
      // The thanks after delivery: the rating's stars, and "Return items" below them.
      const rows: InlineKeyboardMarkup["inline_keyboard"] = [];
      if (context.askForRating) {
        lines.push("", t("notifications.rating.ask", names));
        rows.push(...ratingKeyboard(order.id).inline_keyboard);
      }
      if (context.offerReturn) rows.push([returnStartButton(order.id, t)]);
      return rows.length ? { text: lines.join("\n"), reply_markup: { inline_keyboard: rows } } : { text: lines.join("\n") };
    }
    case "notify.pickup_storage":
      return { text: t("notifications.pickupStorage", { ...names, date: formatInstant(intent.storageUntil, locale) }) };
    case "notify.quiet_parcel": {
      const status = context.deliveryStatus ?? "none";
      const lines = [
        t("notifications.quiet.text", {
          ...names,
          days: intent.days,
          count: intent.days,
          status: t(`notifications.statusNames.${status}`, { defaultValue: status }),
        }),
      ];
      // Only a date still ahead is "expected"; one gone by is said as such (a colleague is told).
      const expected = context.tracking.expectedDate;
      const when = expected ? relativeDay(expected, context.today) : null;
      lines.push(
        !expected
          ? t("notifications.quiet.unknown")
          : t(when === "past" ? "notifications.quiet.overdue" : "notifications.quiet.expected", { date: formatDay(expected, language) }),
      );
      return { text: lines.join("\n") };
    }
    case "notify.promise_moved":
      return {
        text: t("notifications.promiseMoved", { ...names, from: formatDay(intent.from, language), to: formatDay(intent.to, language) }),
      };
    case "notify.promise_broken":
      return {
        text: [
          t(intent.estimate ? "notifications.promiseBroken.apologyEstimate" : "notifications.promiseBroken.apology", {
            ...names,
            date: formatDay(intent.promisedDate, language),
          }),
          intent.newEstimate
            ? t("notifications.promiseBroken.newEstimate", { date: formatDay(intent.newEstimate, language) })
            : t("notifications.promiseBroken.noEstimate"),
          t("notifications.promiseBroken.manager", names),
        ].join(" "),
      };
    case "notify.auto_cancelled":
      return { text: t("notifications.autoCancelled", names) };
  }
}
