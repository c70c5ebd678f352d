import type { Api } from "grammy";
import { z } from "zod";
import { findOrder } from "../../db/order-repository.js";
import { newerDialogViewOwed } from "../../services/dialog-answer.js";
import type { DialogAnswerIntent } from "../../services/telegram-intents.js";
import { localeForOrder, sendOrderMessage, updateOrderMessage, type PresenterDependencies } from "./order-dialog-presenter.js";
import { orderTextVariables, withOrderVariables } from "./order-texts.js";
import type { Skip } from "../../shared/skip-reason.js";

const telegramLanguage = z.string().min(1).max(35).optional();
const dialogAnswerSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("order.dialog_view"),
    orderId: z.string().min(1),
    version: z.int().min(0),
    messageId: z.int().positive().nullable(),
    how: z.enum(["edit", "send"]),
    opening: z.union([z.enum(["none", "stock_changed"]), z.object({ type: z.literal("slot_passed"), date: z.string(), window: z.string() })]),
    telegramLanguage,
  }),
  z.object({ kind: z.literal("order.human_requested"), orderId: z.string().min(1), version: z.int().min(0), telegramLanguage }),
]);

/** A dialog answer from the outbox, or null when the intent is not one of ours. */
export function parseDialogAnswerIntent(intent: unknown): DialogAnswerIntent | null {
  const parsed = dialogAnswerSchema.safeParse(intent);
  return parsed.success ? (parsed.data as DialogAnswerIntent) : null;
}

/**
 * Shows the customer what their change did, from the order as it is now: the dialog in the
 * message they acted on (or a new one), and the promise of a person when they asked for one.
 * Sent at once by the service that made the change, or by the outbox after a crash.
 *
 * A view no longer applies once something newer shows the dialog: another message became the
 * dialog's (a shop's update, a form), or a view of a newer version was shown or is queued. So an
 * old view never overwrites a newer one. Telegram's errors are thrown as they are.
 */
export async function deliverDialogAnswer(api: Api, deps: PresenterDependencies, intent: DialogAnswerIntent): Promise<void | Skip> {
  const record = await findOrder(deps.services.db, intent.orderId);
  if (!record || record.chatId === null) return { skipped: "the order is not in a chat" };
  if (intent.kind === "order.human_requested") {
    const locale = await localeForOrder(deps, record, intent.telegramLanguage);
    const t = withOrderVariables(locale.t, orderTextVariables(record.order, locale.language));
    await api.sendMessage(Number(record.chatId), t("order.humanRequested", { shopName: locale.shop.name }));
    return;
  }
  if (record.dialog.messageId !== intent.messageId) return { skipped: "a newer message shows the dialog" };
  if (await newerDialogViewOwed(deps.services.db, intent.orderId, intent.version)) return { skipped: "a view of a newer dialog version is shown or queued" };
  if (intent.how === "edit" && intent.messageId !== null) {
    await updateOrderMessage(api, deps, record, intent.messageId, intent.telegramLanguage, intent.opening);
  } else {
    await sendOrderMessage(api, deps, record.order.id, intent.opening, intent.telegramLanguage, record);
  }
}
