import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { ShopConfig } from "../../config/config-schema.js";
import type { OrderRecord } from "../../db/order-repository.js";
import { formatMoney } from "../../domain/money.js";
import { lineTotal, orderLimits, orderTotal } from "../../domain/order.js";
import type { Translate } from "../../locales/i18n.js";
import type { Language } from "../../locales/supported-languages.js";
import type { DialogSettings } from "../../services/dialog-settings.js";
import { packConfirmationCallback, type ConfirmationAction } from "./confirmation-callback.js";

export interface MessageLocale {
  t: Translate;
  language: Language;
  shop: ShopConfig;
}

export interface OutgoingMessage {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

/** What comes before the read-back: a greeting (first message), a note that the shop changed it. */
export type Opening = "greeting" | "updated" | "none";

function greeting(record: OrderRecord, locale: MessageLocale, now: Date): string {
  const hour = Number(new Intl.DateTimeFormat("en", { hour: "numeric", hourCycle: "h23", timeZone: locale.shop.timeZone }).format(now));
  const part = hour >= 5 && hour < 12 ? "morning" : hour >= 12 && hour < 18 ? "afternoon" : "evening";
  return locale.t(`order.greeting.${part}`, {
    customerName: record.order.customer.name,
    shopName: locale.shop.name,
    assistantName: locale.shop.assistantName ?? locale.t("defaults.assistantName"),
  });
}

/** "Wednesday, 25 November": a delivery date (a calendar day, so formatted in UTC, not shifted). */
const formatDay = (isoDate: string, language: Language): string =>
  new Intl.DateTimeFormat(language, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );

/** Every parameter of the order, one per line (rule 3: read everything back). */
export function readBackLines(record: OrderRecord, locale: MessageLocale): string[] {
  const { order } = record;
  const { t, language } = locale;
  const money = (minor: bigint) => formatMoney(minor, order.currency, language);
  const lines = [t("order.title", { orderNumber: order.externalId })];
  order.items.forEach((line, index) =>
    lines.push(
      t("order.line", {
        index: index + 1,
        name: line.name,
        quantity: line.quantity,
        unitPrice: money(line.unitPriceMinor),
        lineTotal: money(lineTotal(line)),
      }),
    ),
  );
  lines.push(t("order.total", { total: money(orderTotal(order)) }), "");
  lines.push(t("order.customer", { customerName: order.customer.name }));
  const delivery = order.delivery;
  if (delivery?.method) {
    const known = ["courier", "pickup", "post"].includes(delivery.method);
    lines.push(t("order.deliveryMethod", { method: known ? t(`order.methods.${delivery.method}`) : delivery.method }));
  } else {
    lines.push(t("order.deliveryNotAgreed"));
  }
  if (delivery?.date) {
    const date = formatDay(delivery.date, language);
    lines.push(delivery.window ? t("order.deliveryDateWindow", { date, window: delivery.window }) : t("order.deliveryDate", { date }));
  }
  if (delivery?.address) lines.push(t("order.address", { address: delivery.address }));
  if (order.comment) lines.push(t("order.comment", { comment: order.comment }));
  return lines;
}

export function cancelReasonLabel(reason: DialogSettings["cancelReasons"][number], locale: MessageLocale): string {
  if (typeof reason === "string") return locale.t(`order.cancelReasons.${reason}`, { defaultValue: reason });
  return reason.label[locale.language] ?? reason.label.en ?? Object.values(reason.label)[0] ?? reason.code;
}

function keyboardFor(record: OrderRecord, settings: DialogSettings, locale: MessageLocale): { prompt: string; rows: InlineKeyboardButton[][] } {
  const { t } = locale;
  const { order, dialog } = record;
  const button = (text: string, action: ConfirmationAction, ...args: number[]): InlineKeyboardButton => ({
    text,
    callback_data: packConfirmationCallback({ orderId: order.id, version: dialog.version, action, args }),
  });
  const back = button(t("order.buttons.back"), "back");
  const step = dialog.step;
  switch (step.name) {
    case "read_back":
      return {
        prompt: t("order.question"),
        rows: [
          [button(t("order.buttons.confirm"), "confirm")],
          [button(t("order.buttons.change"), "editMenu")],
          [button(t("order.buttons.cancel"), "openCancel"), button(t("order.buttons.human"), "requestHuman")],
        ],
      };
    case "edit_menu":
      return {
        prompt: t("order.prompts.editMenu"),
        rows: [
          [button(t("order.buttons.changeQuantity"), "chooseLineForQuantity"), button(t("order.buttons.removeLine"), "chooseLineForRemoval")],
          [button(t("order.buttons.changeAddress"), "askAddress"), button(t("order.buttons.changeComment"), "askComment")],
          [back, button(t("order.buttons.human"), "requestHuman")],
        ],
      };
    case "choose_line":
      return {
        prompt: t(step.purpose === "quantity" ? "order.prompts.chooseLineForQuantity" : "order.prompts.chooseLineForRemoval"),
        rows: [
          ...order.items.map((line, index) => [
            button(
              `${index + 1}. ${line.name} × ${line.quantity}`,
              step.purpose === "quantity" ? "chooseQuantityFor" : "removeLine",
              line.position,
            ),
          ]),
          [back],
        ],
      };
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
          ...settings.cancelReasons.map((reason, index) => [button(cancelReasonLabel(reason, locale), "cancelWithReason", index)]),
          [button(t("order.buttons.keepOrder"), "back")],
        ],
      };
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
  settings: DialogSettings,
  locale: MessageLocale,
  options: { opening: Opening; now: Date },
): OutgoingMessage {
  const parts: string[] = [];
  if (options.opening === "greeting") parts.push(`${greeting(record, locale, options.now)} ${locale.t("order.intro")}`, "");
  if (options.opening === "updated") parts.push(locale.t("order.updatedByShop", { shopName: locale.shop.name }), "");
  const { prompt, rows } = keyboardFor(record, settings, locale);
  parts.push(...readBackLines(record, locale), "", prompt);
  return { text: parts.join("\n"), ...(rows.length ? { reply_markup: { inline_keyboard: rows } } : {}) };
}

export const formLimits = orderLimits;
