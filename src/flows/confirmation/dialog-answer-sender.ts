import type { OrderRecord } from "../../db/order-repository.js";
import { newerDialogViewOwed } from "../../services/dialog-answer.js";
import { readOrder } from "../../services/outbox-read-models.js";
import { orderIntentSchemas, type DialogAnswerIntent } from "../../services/telegram-intents.js";
import type { Skip } from "../../shared/skip-reason.js";
import { defineKinds } from "../sending/intent-kind.js";
import { localeForOrder, sendOrderMessage, updateOrderMessage } from "./order-dialog-presenter.js";
import { orderTextVariables, withOrderVariables } from "./order-texts.js";

interface DialogAnswerModel {
  record: OrderRecord & { chatId: bigint };
  /** A view of a newer version of the dialog is shown or queued (dialog views only). */
  newerViewOwed: boolean;
}

/**
 * Shows the customer what their change did, from the order as it is now: the dialog in the
 * message they acted on (or a new one), and the promise of a person when they asked for one.
 * Sent at once by the service that made the change, or by the outbox after a crash.
 *
 * A view no longer applies once something newer shows the dialog: another message became the
 * dialog's (a shop's update, a form), or a view of a newer version was shown or is queued. So an
 * old view never overwrites a newer one.
 */
export const dialogAnswerKinds = defineKinds<DialogAnswerIntent, DialogAnswerModel>(
  { "order.dialog_view": orderIntentSchemas["order.dialog_view"], "order.human_requested": orderIntentSchemas["order.human_requested"] },
  {
    async read(deps, intent): Promise<DialogAnswerModel | Skip> {
      const record = await readOrder(deps.services, intent.orderId);
      if (!record || record.chatId === null) return { skipped: "the order is not in a chat" };
      const newerViewOwed =
        intent.kind === "order.dialog_view" && (await newerDialogViewOwed(deps.services, intent.orderId, intent.version));
      return { record: { ...record, chatId: record.chatId }, newerViewOwed };
    },
    stillApplies({ record, newerViewOwed }, intent) {
      if (intent.kind === "order.human_requested") return null;
      if (record.dialog.messageId !== intent.messageId) return { skipped: "a newer message shows the dialog" };
      return newerViewOwed ? { skipped: "a view of a newer dialog version is shown or queued" } : null;
    },
    async render({ record }, intent, deps) {
      if (intent.kind === "order.human_requested") {
        const locale = await localeForOrder(deps, record, intent.telegramLanguage);
        const t = withOrderVariables(locale.t, orderTextVariables(record.order, locale.language));
        return [{ method: "sendMessage", chatId: record.chatId, text: t("order.humanRequested", { shopName: locale.shop.name }) }];
      }
      const { messageId, opening, telegramLanguage } = intent;
      if (intent.how === "edit" && messageId !== null) {
        return [{ method: "orderDialog", show: (api) => updateOrderMessage(api, deps, record, messageId, telegramLanguage, opening) }];
      }
      return [{ method: "orderDialog", show: (api) => sendOrderMessage(api, deps, record.order.id, opening, telegramLanguage, record) }];
    },
  },
);
