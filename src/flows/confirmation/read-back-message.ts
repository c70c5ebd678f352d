import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { ShopConfig } from "../../config/config-schema.js";
import type { OrderRecord } from "../../db/order-repository.js";
import {
  deliveryDays,
  enabledMethods,
  methodPriceRule,
  openWindows,
  priceFor,
  type DeliveryMethod,
  type PriceRule,
} from "../../domain/delivery-options.js";
import { formatMoney } from "../../domain/money.js";
import type { DialogRules } from "../../domain/order-dialog.js";
import { itemsTotal, lineTotal, orderTotal, type OrderLine } from "../../domain/order.js";
import { allowedSubstitutes } from "../../domain/substitutes.js";
import type { Translate } from "../../locales/i18n.js";
import type { Language } from "../../locales/supported-languages.js";
import type { DialogSettings } from "../../config/dialog-settings-snapshot.js";
import { languageRows } from "../language/language-callback.js";
import { packConfirmationCallback, type ConfirmationAction } from "./confirmation-callback.js";
import { orderTextVariables, withOrderVariables } from "./order-texts.js";
import { dateTimeFormat } from "../../shared/intl-formats.js";
import { entriesThatFit, packLines, pageOfChoices } from "../../shared/telegram-limits.js";

export interface MessageLocale {
  t: Translate;
  language: Language;
  shop: ShopConfig;
}

export interface OutgoingMessage {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

/** What comes before the dialog: a greeting (first message), a note that the shop changed it. */
export type Opening = "greeting" | "updated" | "stock_changed" | "nudge" | { type: "slot_passed"; date: string; window: string } | "none";

/** What the message needs to know besides the order: the moment, and how full the windows are. */
export interface ViewContext {
  settings: DialogSettings;
  rules: DialogRules;
  now: Date;
  /** Places taken per courier window ("date|window" → count), for the days on offer. */
  booked: ReadonlyMap<string, number>;
  /** Which page of a long list of lines to show (choosing a line), from 0. */
  linePage?: number;
}

export const methodCodes: readonly DeliveryMethod[] = ["courier", "pickup", "post"];

function greeting(record: OrderRecord, locale: MessageLocale, now: Date): string {
  const hour = Number(dateTimeFormat("en", { hour: "numeric", hourCycle: "h23", timeZone: locale.shop.timeZone }).format(now));
  const part = hour >= 5 && hour < 12 ? "morning" : hour >= 12 && hour < 18 ? "afternoon" : "evening";
  return locale.t(`order.greeting.${part}`, {
    customerName: record.order.customer.name,
    shopName: locale.shop.name,
    assistantName: locale.shop.assistantName ?? locale.t("defaults.assistantName"),
  });
}

/** "Wednesday, 25 November": a delivery date (a calendar day, so formatted in UTC, not shifted). */
export const formatDay = (isoDate: string, language: Language, style: "long" | "short" = "long"): string =>
  dateTimeFormat(language, { weekday: style, day: "numeric", month: style === "long" ? "long" : "short", timeZone: "UTC" }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );

/** The order's items, one line each: "1. Green tea: 2 × €4.50 = €9.00". */
function itemLines(record: OrderRecord, locale: MessageLocale): string[] {
  const { order } = record;
  const money = (minor: bigint) => formatMoney(minor, order.currency, locale.language);
  return order.items.map((line, index) =>
    locale.t("order.line", {
      index: index + 1,
      name: line.name,
      quantity: line.quantity,
      unitPrice: money(line.unitPriceMinor),
      lineTotal: money(lineTotal(line)),
    }),
  );
}

/** Every item of the order, as messages that each fit Telegram's limit (the "All items" button). */
export function allItemsMessages(record: OrderRecord, baseLocale: MessageLocale): string[] {
  const locale = { ...baseLocale, t: withOrderVariables(baseLocale.t, orderTextVariables(record.order, baseLocale.language)) };
  return packLines([locale.t("order.allItemsTitle", { orderNumber: record.order.externalId }), ...itemLines(record, locale)]);
}

/**
 * Every parameter of the order, one per line (rule 3: read everything back). `itemsShown` cuts
 * the item list of an order too long for one message; a line says how many more there are.
 */
export function readBackLines(
  record: OrderRecord,
  locale: MessageLocale,
  view: Pick<ViewContext, "rules">,
  itemsShown = record.order.items.length,
): string[] {
  const { order } = record;
  const { t, language } = locale;
  const money = (minor: bigint) => formatMoney(minor, order.currency, language);
  const lines = [t("order.title", { orderNumber: order.externalId }), ...itemLines(record, locale).slice(0, itemsShown)];
  if (itemsShown < order.items.length) lines.push(t("order.moreItems", { count: order.items.length - itemsShown }));
  const delivery = order.delivery;
  const deliveryPrice = delivery?.priceMinor ?? null;
  if (deliveryPrice !== null) {
    lines.push(
      t("order.delivery.itemsTotal", { total: money(itemsTotal(order)) }),
      t("order.delivery.price", { price: deliveryPrice === 0n ? t("order.delivery.free") : money(deliveryPrice) }),
    );
  }
  lines.push(t("order.total", { total: money(orderTotal(order)) }), "");
  lines.push(t("order.customer", { customerName: order.customer.name }));
  const point = delivery?.pointId ? view.rules.delivery.pickup.points.find((p) => p.id === delivery.pointId) : undefined;
  if (point) {
    lines.push(t("order.delivery.pickupAt", { name: point.name, address: point.address, hours: point.hours }));
  } else if (delivery?.method === "post") {
    lines.push(
      t("order.delivery.postEstimate", { ...view.rules.delivery.post.estimateDays, count: view.rules.delivery.post.estimateDays.max }),
    );
  } else if (delivery?.method) {
    const known = methodCodes.includes(delivery.method as DeliveryMethod);
    lines.push(t("order.deliveryMethod", { method: known ? t(`order.methods.${delivery.method}`) : delivery.method }));
  } else {
    lines.push(t("order.deliveryNotAgreed"));
  }
  if (delivery?.date) {
    const date = formatDay(delivery.date, language);
    lines.push(delivery.window ? t("order.deliveryDateWindow", { date, window: delivery.window }) : t("order.deliveryDate", { date }));
  }
  if (delivery?.address && !point) lines.push(t("order.address", { address: delivery.address }));
  if (order.comment) lines.push(t("order.comment", { comment: order.comment }));
  return lines;
}

export function cancelReasonLabel(reason: DialogSettings["cancelReasons"][number], locale: MessageLocale): string {
  if (typeof reason === "string") return locale.t(`order.cancelReasons.${reason}`, { defaultValue: reason });
  return reason.label[locale.language] ?? reason.label.en ?? Object.values(reason.label)[0] ?? reason.code;
}

const signed = (minor: bigint, money: (m: bigint) => string, same: string) =>
  minor === 0n ? same : minor > 0n ? `+${money(minor)}` : `−${money(-minor)}`;

/** The short line and what the customer can take instead (rule 4: never silently dropped). */
function shortageView(line: OrderLine, record: OrderRecord, view: ViewContext, locale: MessageLocale) {
  const { t, language } = locale;
  const money = (minor: bigint) => formatMoney(minor, record.order.currency, language);
  const offered = allowedSubstitutes(line, view.rules.substitutes, undefined, record.order.currency);
  const available = line.available ?? 0;
  const text = [
    t(available > 0 ? "order.shortage.partly" : "order.shortage.none", {
      name: line.name,
      quantity: line.quantity,
      available,
      count: available,
    }),
  ];
  if (offered.length) {
    text.push(t("order.shortage.offerSubstitutes"));
    for (const s of offered) {
      text.push(
        t("order.shortage.substituteLine", {
          name: s.name,
          price: money(s.unitPriceMinor),
          difference: signed(s.differencePerUnitMinor, money, t("order.shortage.samePrice")),
          lineDifference: signed(s.differencePerUnitMinor * BigInt(line.quantity), money, t("order.shortage.samePrice")),
          quantity: line.quantity,
        }),
      );
    }
  }
  text.push(t("order.shortage.prompt"));
  return { text: text.join("\n"), offered };
}

function keyboardFor(record: OrderRecord, view: ViewContext, locale: MessageLocale): { prompt: string; rows: InlineKeyboardButton[][] } {
  const { t, language } = locale;
  const { order, dialog } = record;
  const { rules } = view;
  const money = (minor: bigint) => formatMoney(minor, order.currency, language);
  // What a delivery option costs for these items, as the buttons say it ("free", "on request").
  const priceText = (minor: bigint) => (minor === 0n ? t("order.delivery.free") : money(minor));
  const priceOf = (rule: PriceRule | null) =>
    !rule || order.currency !== rules.delivery.currency ? t("order.delivery.onRequest") : priceText(priceFor(rule, itemsTotal(order)));
  const button = (text: string, action: ConfirmationAction, ...args: number[]): InlineKeyboardButton => ({
    text,
    callback_data: packConfirmationCallback({ orderId: order.id, version: dialog.version, action, args }),
  });
  const back = button(t("order.buttons.back"), "back");
  const human = button(t("order.buttons.human"), "requestHuman");
  const step = dialog.step;
  switch (step.name) {
    case "read_back": {
      // The shop chooses which buttons sit under Confirm (config confirmation.buttons).
      const offered = view.settings.buttons;
      const extra = [
        ...(offered.includes("cancel") ? [button(t("order.buttons.cancel"), "openCancel")] : []),
        ...(offered.includes("human") ? [human] : []),
      ];
      return {
        prompt: t("order.question"),
        rows: [
          [button(t("order.buttons.confirm"), "confirm")],
          ...(offered.includes("change") ? [[button(t("order.buttons.change"), "editMenu")]] : []),
          ...(extra.length ? [extra] : []),
        ],
      };
    }
    case "ask_comment":
      return { prompt: t("order.forms.askCommentStep"), rows: [[button(t("order.buttons.skip"), "skipComment")]] };
    case "edit_menu": {
      const fixed = order.delivery?.fixed === true;
      return {
        prompt: t("order.prompts.editMenu"),
        rows: [
          [
            button(t("order.buttons.changeQuantity"), "chooseLineForQuantity"),
            button(t("order.buttons.removeLine"), "chooseLineForRemoval"),
          ],
          ...(fixed
            ? []
            : [[button(t("order.delivery.changeDelivery"), "openDelivery"), button(t("order.buttons.changeAddress"), "askAddress")]]),
          [button(t("order.buttons.changeComment"), "askComment")],
          ...(dialog.resolutions.length ? [[button(t("order.delivery.chooseAgain"), "chooseLineToChooseAgain")]] : []),
          [back, human],
        ],
      };
    }
    case "choose_line": {
      // One button per line, a page at a time for a long order (Telegram takes 100 buttons at most).
      const choices =
        step.purpose === "rechoose"
          ? dialog.resolutions.map((r) => button(r.original.name, "chooseAgain", r.position))
          : order.items.map((line, index) =>
              button(
                `${index + 1}. ${line.name} × ${line.quantity}`,
                step.purpose === "quantity" ? "chooseQuantityFor" : "removeLine",
                line.position,
              ),
            );
      const prompt = t(
        step.purpose === "rechoose"
          ? "order.prompts.chooseLineToChooseAgain"
          : step.purpose === "quantity"
            ? "order.prompts.chooseLineForQuantity"
            : "order.prompts.chooseLineForRemoval",
      );
      const page = pageOfChoices(choices.length, view.linePage ?? 0);
      if (!page) return { prompt, rows: [...choices.map((choice) => [choice]), [back]] };
      const nav = [
        ...(page.current > 0 ? [button("◀", "linePage", page.current - 1)] : []),
        ...(page.current < page.count - 1 ? [button("▶", "linePage", page.current + 1)] : []),
      ];
      return {
        prompt: `${prompt}\n${t("order.prompts.linePage", { from: page.from + 1, to: page.to, count: choices.length })}`,
        rows: [...choices.slice(page.from, page.to).map((choice) => [choice]), nav, [back]],
      };
    }
    case "choose_quantity": {
      const line = order.items.find((l) => l.position === step.position);
      const amounts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
      return {
        prompt: t("order.prompts.chooseQuantity", { name: line?.name ?? "" }),
        rows: [
          amounts.slice(0, 5).map((n) => button(String(n), "setQuantity", step.position, n)),
          amounts.slice(5).map((n) => button(String(n), "setQuantity", step.position, n)),
          [button(t("order.buttons.otherQuantity"), "askQuantity", step.position)],
          [back],
        ],
      };
    }
    case "choose_cancel_reason":
      return {
        prompt: t("order.prompts.chooseCancelReason"),
        rows: [
          ...view.settings.cancelReasons.map((reason, index) => [button(cancelReasonLabel(reason, locale), "cancelWithReason", index)]),
          [button(t("order.buttons.keepOrder"), "back")],
        ],
      };
    case "resolve_shortage": {
      const line = order.items.find((l) => l.position === step.position);
      if (!line) return { prompt: t("order.question"), rows: [[back]] };
      const { text, offered } = shortageView(line, record, view, locale);
      return {
        prompt: text,
        rows: [
          ...offered.map((s) => [
            button(
              t("order.shortage.take", { name: s.name }),
              "takeSubstitute",
              line.position,
              line.substitutes.findIndex((x) => x.sku === s.sku),
            ),
          ]),
          ...(rules.substitutes.offerPartial && line.available !== null && line.available > 0 && line.available < line.quantity
            ? [[button(t("order.shortage.takeAvailable", { available: line.available }), "takeAvailable", line.position)]]
            : []),
          ...(order.items.length > 1 ? [[button(t("order.shortage.remove"), "removeLine", line.position)]] : []),
          [button(t("order.buttons.cancel"), "openCancel"), human],
        ],
      };
    }
    case "choose_delivery_method": {
      const zones = rules.delivery.courier.zones;
      const price = (method: DeliveryMethod) => {
        // Priced by zone: the cheapest zone, as "from ...", until the customer picks theirs.
        if (method === "courier" && zones.length) {
          if (order.currency !== rules.delivery.currency) return t("order.delivery.onRequest");
          const cheapest = zones.map((zone) => priceFor(zone, itemsTotal(order))).reduce((a, b) => (b < a ? b : a));
          return t("order.delivery.priceFrom", { price: money(cheapest) });
        }
        return priceOf(methodPriceRule(rules.delivery, method, null));
      };
      const label = (method: DeliveryMethod) =>
        method === "post"
          ? t("order.delivery.postButton", {
              price: price(method),
              ...rules.delivery.post.estimateDays,
              count: rules.delivery.post.estimateDays.max,
            })
          : t(`order.delivery.${method}Button`, { price: price(method) });
      return {
        prompt: t("order.delivery.chooseMethod"),
        rows: [...enabledMethods(rules.delivery).map((m) => [button(label(m), "chooseMethod", methodCodes.indexOf(m))]), [back]],
      };
    }
    case "choose_courier_zone":
      return {
        prompt: t("order.delivery.chooseZone"),
        rows: [
          ...rules.delivery.courier.zones.map((zone, index) => [button(`${zone.name} · ${priceOf(zone)}`, "chooseZone", index)]),
          [back],
        ],
      };
    case "choose_delivery_day": {
      const days = deliveryDays(view.now, rules.timeZone, rules.delivery.courier).filter(
        (date) => openWindows(rules.delivery.courier, date, view.booked, view.now, rules.timeZone).length > 0,
      );
      const rows = [];
      for (let i = 0; i < days.length; i += 3) {
        rows.push(
          days
            .slice(i, i + 3)
            .map((date) => button(formatDay(date, locale.language, "short"), "chooseDay", Number(date.replaceAll("-", "")))),
        );
      }
      return { prompt: t("order.delivery.chooseDay"), rows: [...rows, [back]] };
    }
    case "choose_delivery_window": {
      const open = openWindows(rules.delivery.courier, step.date, view.booked, view.now, rules.timeZone);
      const date = formatDay(step.date, locale.language);
      return {
        prompt: open.length ? t("order.delivery.chooseWindow", { date }) : t("order.delivery.dayFull", { date }),
        rows: [
          ...open.map((window) => [
            button(
              window,
              "chooseWindow",
              rules.delivery.courier.windows.findIndex((w) => w.window === window),
            ),
          ]),
          [button(t("order.delivery.otherDay"), "openDelivery")],
        ],
      };
    }
    case "choose_pickup_point": {
      const points = rules.delivery.pickup.points;
      return {
        prompt: [t("order.delivery.choosePoint"), ...points.map((p) => t("order.delivery.pointLine", { ...p }))].join("\n"),
        rows: [...points.map((p, index) => [button(p.name, "choosePoint", index)]), [back]],
      };
    }
    case "confirm_address": {
      const address = order.delivery?.address;
      return address
        ? { prompt: t("order.delivery.currentAddress", { address }), rows: [[button(t("order.delivery.keepAddress"), "back")]] }
        : { prompt: t("order.delivery.askAddress"), rows: [[human]] };
    }
    case "finished":
      return {
        prompt: t(order.state === "cancelled" ? "order.cancelled" : "order.confirmed", { customerName: order.customer.name }),
        rows: [],
      };
  }
}

/** The dialog's message: the read-back, then what the customer can do at this step. */
export function renderOrderMessage(
  record: OrderRecord,
  baseLocale: MessageLocale,
  view: ViewContext & { opening: Opening },
): OutgoingMessage {
  const locale = { ...baseLocale, t: withOrderVariables(baseLocale.t, orderTextVariables(record.order, baseLocale.language)) };
  const parts: string[] = [];
  if (view.opening === "greeting") parts.push(`${greeting(record, locale, view.now)} ${locale.t("order.intro")}`, "");
  if (view.opening === "updated") parts.push(locale.t("order.updatedByShop", { shopName: locale.shop.name }), "");
  if (view.opening === "stock_changed") parts.push(locale.t("order.shortage.stockChanged"), "");
  if (view.opening === "nudge")
    parts.push(locale.t("notifications.nudge", { customerName: record.order.customer.name, orderNumber: record.order.externalId }), "");
  if (typeof view.opening === "object") {
    parts.push(
      locale.t("order.delivery.slotPassed", { date: formatDay(view.opening.date, locale.language), window: view.opening.window }),
      "",
    );
  }
  const { prompt, rows } = keyboardFor(record, view, locale);
  // The first message lets the customer switch to another language the shop offers.
  if (view.opening === "greeting" && rows.length && locale.shop.languages.length > 1)
    rows.push(...languageRows(locale.shop.languages, locale.language));
  const textWith = (itemsShown: number) => [...parts, ...readBackLines(record, locale, view, itemsShown), "", prompt].join("\n");
  const items = record.order.items.length;
  const shown = entriesThatFit(textWith, items);
  const text = textWith(shown);
  if (shown < items) {
    // Too long for one message: as many items as fit, and the whole list one tap away.
    const all = {
      text: locale.t("order.buttons.allItems", { count: items }),
      callback_data: packConfirmationCallback({ orderId: record.order.id, version: record.dialog.version, action: "showItems", args: [] }),
    };
    rows.unshift([all]);
  }
  return { text, ...(rows.length ? { reply_markup: { inline_keyboard: rows } } : {}) };
}
