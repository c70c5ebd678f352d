import { localDate } from "../../domain/contact-hours.js";
import type { Api } from "grammy";
import { z } from "zod";
import { findFollowUpState, type FollowUpState } from "../../db/follow-up-repository.js";
import { findOrder, type OrderRecord } from "../../db/order-repository.js";
import { readDialogSettings } from "../../services/dialog-settings.js";
import { deliveryStatuses, finalDeliveryStatuses, type DeliveryStatus, type NotificationIntent } from "../../services/notification-intents.js";
import { recordNotificationSent } from "../../services/record-notification-sent.js";
import { recordDialogMessage } from "../../services/record-dialog-message.js";
import { canOfferReturn } from "../../services/returns/return-start.js";
import { mayMessageAutomatically } from "../../services/schedule-order-follow-ups.js";
import { localeForOrder, renderForRecord, type PresenterDependencies } from "../confirmation/order-dialog-presenter.js";
import { offersRemedies, renderNotification } from "./notification-messages.js";
import { remedyOffer } from "../../services/delivery-remedy.js";
import type { Skip } from "../../shared/skip-reason.js";

const orderId = z.string().min(1);
const notificationIntentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("notify.nudge"), orderId, n: z.int() }),
  z.object({ kind: z.literal("notify.delivery_reminder"), orderId, date: z.string(), window: z.string().nullable() }),
  z.object({ kind: z.literal("notify.status"), orderId, status: z.enum(deliveryStatuses), seq: z.int() }),
  z.object({ kind: z.literal("notify.pickup_storage"), orderId, storageUntil: z.string() }),
  z.object({ kind: z.literal("notify.quiet_parcel"), orderId, days: z.int(), seq: z.int() }),
  z.object({ kind: z.literal("notify.promise_moved"), orderId, from: z.string(), to: z.string() }),
  z.object({ kind: z.literal("notify.promise_broken"), orderId, promisedDate: z.string(), newEstimate: z.string().nullable(), estimate: z.literal(true).optional() }),
  z.object({ kind: z.literal("notify.auto_cancelled"), orderId }),
]);

/** A notification intent from the outbox, or null when the intent is not one of ours. */
export function parseNotificationIntent(intent: unknown): NotificationIntent | null {
  const parsed = notificationIntentSchema.safeParse(intent);
  return parsed.success ? parsed.data : null;
}

const parcelDone = (state: FollowUpState) =>
  state.deliveredAt !== null || (state.deliveryStatus !== null && finalDeliveryStatuses.includes(state.deliveryStatus as DeliveryStatus));

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
 * Renders a notification from the order as it is now and sends it; `{ skipped }` when it no longer
 * applies (the order moved on, a manager has the chat, the customer is unreachable). Telegram's
 * errors are thrown as they are, for the outbox channel to classify.
 */
export async function deliverNotification(api: Api, deps: PresenterDependencies, intent: NotificationIntent): Promise<void | Skip> {
  const { db } = deps.services;
  const config = deps.services.config();
  const [record, state] = await Promise.all([findOrder(db, intent.orderId), findFollowUpState(db, intent.orderId)]);
  if (!record || !state) return { skipped: "the order no longer exists" };
  const allowed = mayMessageAutomatically(state, config.notifications, intent);
  if (!allowed.ok) return { skipped: allowed.skipped, ...(allowed.code ? { code: allowed.code } : {}) };
  const stale = staleReason(intent, state);
  if (stale) return { skipped: stale };
  const chatId = Number(state.chatId);

  if (intent.kind === "notify.nudge") {
    // The nudge is the order's read-back with a line in front: one message, with the live buttons.
    const readBack = await renderForRecord(deps, record, "nudge");
    const sent = await api.sendMessage(chatId, readBack.text, { parse_mode: "HTML", ...(readBack.reply_markup ? { reply_markup: readBack.reply_markup } : {}) });
    await afterSend(deps, intent, async () => {
      const { previousMessageId } = await recordDialogMessage(deps.services, intent.orderId, sent.message_id, "order.nudge");
      if (previousMessageId !== null) await api.editMessageReplyMarkup(chatId, previousMessageId).catch(() => undefined);
    });
    return;
  }

  const locale = await localeForOrder(deps, record);
  const askForRating = config.notifications.rating.enabled && !(await db.orderRating.findUnique({ where: { orderId: intent.orderId }, select: { orderId: true } }));
  const offerReturn = intent.kind === "notify.status" && intent.status === "delivered" && (await canOfferReturn(deps.services, intent.orderId));
  const pickupPoint = intent.kind === "notify.status" && intent.status === "ready_for_pickup" ? chosenPickupPoint(deps, record) : null;
  const today = localDate(deps.services.clock.now(), config.shop.timeZone);
  const remedies = offersRemedies(intent) ? ((await remedyOffer(deps.services, record))?.kinds ?? []) : [];
  const message = renderNotification(intent, { record, tracking: state.tracking, deliveryStatus: state.deliveryStatus, askForRating, offerReturn, pickupPoint, today, remedies }, locale);
  const sent = await api.sendMessage(chatId, message.text, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}) });
  await afterSend(deps, intent, () => recordNotificationSent(deps.services, intent.orderId, intent.kind, sent.message_id));
}

/**
 * The pickup point the customer chose (or the shop sent) with the order, as configured now (its
 * hours may have changed since), else as it was when the dialog started.
 */
function chosenPickupPoint(deps: PresenterDependencies, record: OrderRecord): { name: string; address: string; hours: string } | null {
  const pointId = record.order.delivery?.pointId;
  if (!pointId) return null;
  const config = deps.services.config();
  const byId = (points: ReadonlyArray<{ id: string; name: string; address: string; hours: string }>) => points.find((point) => point.id === pointId);
  return byId(config.delivery.pickup.points) ?? byId(readDialogSettings(record.dialog.configSnapshot, config).delivery.pickup.points) ?? null;
}

/**
 * Bookkeeping after Telegram accepted the message. It must not fail the delivery: a thrown error
 * here would make the outbox send the message a second time.
 */
async function afterSend(deps: PresenterDependencies, intent: NotificationIntent, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    deps.services.logger.error({ err: error, orderId: intent.orderId, kind: intent.kind }, "a notification went out but could not be recorded");
  }
}
