import type { ConfigFile } from "../../config/config-schema.js";
import type { FollowUpState } from "../../db/follow-up-repository.js";
import type { OrderRecord } from "../../db/order-repository.js";
import { localDate } from "../../domain/contact-hours.js";
import { remedyOffer } from "../../services/delivery-remedy.js";
import { dialogSettingsOf } from "../../services/dialog-settings.js";
import { finalDeliveryStatuses, notificationIntentSchemas, type NotificationIntent } from "../../services/notification-intents.js";
import { isOrderRated, readNotificationState } from "../../services/outbox-read-models.js";
import { recordDialogMessage } from "../../services/record-dialog-message.js";
import { recordNotificationSent } from "../../services/record-notification-sent.js";
import { canOfferReturn } from "../../services/returns/return-start.js";
import { mayMessageAutomatically } from "../../services/schedule-order-follow-ups.js";
import type { Skip } from "../../shared/skip-reason.js";
import { bestEffort } from "../../telegram/telegram-error.js";
import { localeForOrder, renderForRecord } from "../confirmation/order-dialog-presenter.js";
import { defineKinds } from "../sending/intent-kind.js";
import type { SenderDependencies } from "../sending/sender-dependencies.js";
import { offersRemedies, renderNotification } from "./notification-messages.js";

interface NotificationModel {
  record: OrderRecord;
  state: FollowUpState;
  config: ConfigFile;
}

const parcelDone = (state: FollowUpState) =>
  state.deliveredAt !== null || (state.deliveryStatus !== null && finalDeliveryStatuses.includes(state.deliveryStatus));

/** Why an intent no longer applies when its time to go out has come; null when it still does. */
function staleReason(intent: NotificationIntent, state: FollowUpState): string | null {
  switch (intent.kind) {
    case "notify.nudge":
      return state.state === "awaiting_customer" ? null : `the order is ${state.state}`;
    case "notify.delivery_reminder":
      if (state.state !== "confirmed") return `the order is ${state.state}`;
      return parcelDone(state) ? "the parcel is no longer on its way" : null;
    case "notify.status":
      // A newer status has come in meanwhile: its message says where the parcel is now.
      return state.tracking.statusSeq > intent.seq && intent.status !== "delivered" ? "a newer status superseded it" : null;
    case "notify.pickup_storage":
      return state.deliveryStatus === "ready_for_pickup" ? null : "the parcel is no longer at the pickup point";
    case "notify.quiet_parcel":
      if (state.tracking.statusSeq !== intent.seq) return "the status changed since";
      return parcelDone(state) ? "the parcel arrived" : null;
    case "notify.promise_moved":
    case "notify.promise_broken":
      // An apology waiting for the morning is pointless (and odd) once the parcel has arrived.
      return parcelDone(state) ? "the parcel arrived" : null;
    case "notify.auto_cancelled":
      return null;
  }
}

/**
 * Reminders, status news, nudges...: rendered from the order as it is now; skipped when they no
 * longer apply (the order moved on, a manager has the chat, the customer is unreachable).
 */
export const notificationKinds = defineKinds<NotificationIntent, NotificationModel>(notificationIntentSchemas, {
  async read(deps, intent): Promise<NotificationModel | Skip> {
    const found = await readNotificationState(deps.services, intent.orderId);
    if (!found) return { skipped: "the order no longer exists" };
    return { ...found, config: deps.services.config() };
  },
  stillApplies({ state, config }, intent) {
    const allowed = mayMessageAutomatically(state, config.notifications, intent);
    if (!allowed.ok) return { skipped: allowed.skipped, ...(allowed.code ? { code: allowed.code } : {}) };
    const stale = staleReason(intent, state);
    return stale ? { skipped: stale } : null;
  },
  async render({ record, state, config }, intent, deps) {
    // mayMessageAutomatically (stillApplies) let it through: the customer has a chat.
    const chatId = state.chatId!;
    if (intent.kind === "notify.nudge") {
      // The nudge is the order's read-back with a line in front: one message, with the live buttons.
      const readBack = await renderForRecord(deps, record, "nudge");
      return [
        {
          method: "sendMessage",
          chatId,
          text: readBack.text,
          options: { parse_mode: "HTML", ...(readBack.reply_markup ? { reply_markup: readBack.reply_markup } : {}) },
        },
      ];
    }
    const locale = await localeForOrder(deps, record);
    const askForRating = config.notifications.rating.enabled && !(await isOrderRated(deps.services, intent.orderId));
    const offerReturn =
      intent.kind === "notify.status" && intent.status === "delivered" && (await canOfferReturn(deps.services, intent.orderId));
    const pickupPoint = intent.kind === "notify.status" && intent.status === "ready_for_pickup" ? chosenPickupPoint(deps, record) : null;
    const today = localDate(deps.services.clock.now(), config.shop.timeZone);
    const remedies = offersRemedies(intent) ? ((await remedyOffer(deps.services, record))?.kinds ?? []) : [];
    const message = renderNotification(
      intent,
      { record, tracking: state.tracking, deliveryStatus: state.deliveryStatus, askForRating, offerReturn, pickupPoint, today, remedies },
      locale,
    );
    const options = {
      parse_mode: "HTML" as const,
      link_preview_options: { is_disabled: true },
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    };
    return [{ method: "sendMessage", chatId, text: message.text, options }];
  },
  async afterSend({ api, deps }, { state }, intent, sent) {
    const messageId = sent.messageIds[0]!;
    if (intent.kind === "notify.status")
      return recordNotificationSent(deps.services, intent.orderId, intent.kind, messageId, { status: intent.status });
    if (intent.kind !== "notify.nudge") return recordNotificationSent(deps.services, intent.orderId, intent.kind, messageId);
    // The nudge is the dialog's message now: the previous one's buttons come off.
    const { previousMessageId } = await recordDialogMessage(deps.services, intent.orderId, messageId, "order.nudge");
    if (previousMessageId !== null) {
      await bestEffort(deps.services.logger, "taking the buttons off the previous dialog message", () =>
        api.editMessageReplyMarkup(Number(state.chatId), previousMessageId),
      );
    }
  },
});

/**
 * The pickup point the customer chose (or the shop sent) with the order, as configured now (its
 * hours may have changed since), else as it was when the dialog started.
 */
function chosenPickupPoint(deps: SenderDependencies, record: OrderRecord): { name: string; address: string; hours: string } | null {
  const pointId = record.order.delivery?.pointId;
  if (!pointId) return null;
  const config = deps.services.config();
  const byId = (points: ReadonlyArray<{ id: string; name: string; address: string; hours: string }>) =>
    points.find((point) => point.id === pointId);
  return byId(config.delivery.pickup.points) ?? byId(dialogSettingsOf(record, deps.services).delivery.pickup.points) ?? null;
}
