import type { ConfigFile } from "../config/config-schema.js";
import type { OrderRecord } from "../db/order-repository.js";
import { deliveryDays } from "../domain/delivery-options.js";
import { priced, type DialogRules, type DialogStep } from "../domain/order-dialog.js";
import { renderOrderMessage, type Opening, type OutgoingMessage } from "../flows/confirmation/read-back-message.js";
import type { Translator } from "../locales/i18n.js";
import type { Language } from "../locales/supported-languages.js";
import { dialogSettingsFrom } from "../config/dialog-settings-snapshot.js";
import { dialogRules } from "../services/dialog-settings.js";
import { sampleOrder } from "./sample-order.js";

/** One screen of a flow as the customer would see it: a caption for the owner, then the message. */
export interface PreviewScreen {
  caption: string;
  message: OutgoingMessage;
}

export const previewFlows = ["confirmation", "shortage", "delivery", "linking"] as const;
export type PreviewFlow = (typeof previewFlows)[number];

/**
 * The script of a flow, screen by screen, rendered by the same code the bot uses, with the
 * owner's configuration and wording: `npm run config:preview -- --locale ru --flow confirmation`.
 */
export function previewFlow(
  flow: PreviewFlow,
  input: { config: ConfigFile; translator: Translator; language: Language; now: Date },
): PreviewScreen[] {
  const { config, translator, language, now } = input;
  const t = translator.forLanguage(language);
  const locale = { t, language, shop: config.shop };
  const settings = dialogSettingsFrom(config);
  const rules = dialogRules(settings);
  const screen = (caption: string, record: OrderRecord, opening: Opening = "none"): PreviewScreen => ({
    caption,
    message: renderOrderMessage(record, locale, { settings, rules, now, booked: new Map(), opening }),
  });
  const at = (step: DialogStep, extra: Parameters<typeof sampleOrder>[0] = {}) => {
    const record = sampleOrder({ step, ...extra });
    return { ...record, order: priced(record.order, rules) };
  };
  switch (flow) {
    case "confirmation":
      return [
        screen("The first message: greeting and read-back", at({ name: "read_back" }), "greeting"),
        screen("After “Change something”", at({ name: "edit_menu" })),
        screen("After “Cancel the order”", at({ name: "choose_cancel_reason" })),
        screen("Confirmed", sampleOrder({ step: { name: "finished" }, state: "confirmed" })),
        screen("Cancelled", sampleOrder({ step: { name: "finished" }, state: "cancelled" })),
      ];
    case "shortage":
      return [
        screen("An item is out of stock", at({ name: "resolve_shortage", position: 0 }, { shortage: true }), "greeting"),
        screen(
          "Stock ran out between the read-back and Confirm",
          at({ name: "resolve_shortage", position: 0 }, { shortage: true }),
          "stock_changed",
        ),
      ];
    case "delivery": {
      const none = { delivery: null };
      const courier = { delivery: { method: "courier", address: null, date: null, window: null } };
      return [
        screen("Choosing the delivery method", at({ name: "choose_delivery_method" }, none)),
        screen("Choosing the day (courier)", at({ name: "choose_delivery_day" }, courier)),
        screen("Choosing the time window", at({ name: "choose_delivery_window", date: rulesDay(rules, now) }, courier)),
        screen(
          "Choosing a pickup point",
          at({ name: "choose_pickup_point" }, { delivery: { method: "pickup", address: null, date: null, window: null } }),
        ),
        screen("Asking for the address", at({ name: "confirm_address" }, courier)),
      ];
    }
    case "linking": {
      const welcome = { shopName: config.shop.name, assistantName: config.shop.assistantName ?? t("defaults.assistantName") };
      return [
        {
          caption: "/start without a link: asking for the phone",
          message: {
            text: `${t("start.welcomeAnonymous", welcome)}\n\n${t("linking.askContact")}`,
          },
        },
        { caption: "A link that leads nowhere", message: { text: t("linking.unknownToken") } },
        { caption: "An order someone else has claimed", message: { text: t("linking.claimedByOther", { shopName: config.shop.name }) } },
      ];
    }
  }
}

/** The first day the courier is offered, for the window screen. */
const rulesDay = (rules: DialogRules, now: Date): string =>
  deliveryDays(now, rules.timeZone, rules.delivery.courier)[0] ?? now.toISOString().slice(0, 10);

/** A screen as plain text for a terminal: HTML tags dropped, entities decoded, buttons in brackets. */
export function screenAsText(screen: PreviewScreen): string {
  const text = screen.message.text
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
  const buttons = screen.message.reply_markup?.inline_keyboard.map((row) => row.map((b) => `[ ${b.text} ]`).join(" ")) ?? [];
  return [`── ${screen.caption} ──`, text, ...(buttons.length ? ["", ...buttons] : [])].join("\n");
}
