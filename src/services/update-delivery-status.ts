import { findFollowUpState, reportedDeliveryStatuses, type Tracking } from "../db/follow-up-repository.js";
import { decideDeliveryStatus, isDeliveryStatus, type DeliveryStatusChange } from "../domain/delivery-status-flow.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { withTransaction } from "../db/transaction.js";
import { cancelJobs, scheduleJob } from "../scheduler/schedule-job.js";
import { enqueueAutomaticMessage } from "./contact-time.js";
import { escalateOrder } from "./escalate-order.js";
import { announceDeliveryDate } from "./delivery-promises.js";
import type { DeliveryFailureReason } from "../domain/delivery-remedies.js";
import { finalDeliveryStatuses, type DeliveryStatus } from "./notification-intents.js";
import { followUpJobs, mayMessageAutomatically, planQuietParcelChecks } from "./schedule-order-follow-ups.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/** A status report from the shop, validated by the API. */
export interface DeliveryStatusUpdate {
  orderId: string;
  status: DeliveryStatus;
  trackingNumber?: string;
  carrier?: string;
  trackingUrl?: string;
  /** YYYY-MM-DD in the shop's time zone. */
  expectedDate?: string;
  pickup?: { point?: string; address?: string; hours?: string; storageUntil?: string };
  /** With delivery_failed: why the attempt failed. */
  failureReason?: DeliveryFailureReason;
  /** The shop corrects a status it reported by mistake: a step back is allowed (see decideDeliveryStatus). */
  correction?: boolean;
}

export type DeliveryStatusResult =
  /** A new status: recorded, and (when the customer can be told) a message is queued. */
  | { type: "updated"; status: DeliveryStatus; seq: number; messaged: boolean }
  /** The order already has this status: nothing is sent again (tracking details are kept up to date). */
  | { type: "unchanged"; status: DeliveryStatus; seq: number }
  | { type: "not_found" }
  | { type: "cancelled" }
  /** Not confirmed by the customer, or a step back without `correction`: nothing is recorded or sent. */
  | Extract<DeliveryStatusChange, { type: "not_confirmed" | "refused" }>;

const hourMs = 60 * 60_000;

/** Jobs that are pointless once the parcel has arrived or gone back. */
const finishedParcelJobs = [followUpJobs.deliveryReminder, followUpJobs.quietParcel, followUpJobs.promiseCheck, followUpJobs.pickupStorage];

/**
 * POST /api/v1/orders/{id}/status: the shop says where the parcel is. Each new status is recorded
 * in the order's history and becomes one message to the customer (in their language, rendered when
 * sent); a repeat of the current status sends nothing. An `expectedDate` is a date announced to the
 * customer, with or without a new status (src/services/delivery-promises.ts): a later one than
 * promised moves the promise (told as a move) or, once the promise's end plus the grace has
 * passed, breaks it (apology, manager told); "delivered" keeps it and asks for a rating.
 */
export async function updateDeliveryStatus(deps: ServiceDependencies, input: DeliveryStatusUpdate): Promise<DeliveryStatusResult> {
  const now = deps.clock.now();
  const config = deps.config();
  let kick = false;
  let brokenPromise = false;
  const result = await withTransaction(deps.db, async (tx): Promise<DeliveryStatusResult> => {
    const state = await findFollowUpState(tx, input.orderId);
    if (!state) return { type: "not_found" };
    if (state.state === "cancelled") return { type: "cancelled" };
    const change = decideDeliveryStatus({
      orderState: state.state,
      from: isDeliveryStatus(state.deliveryStatus) ? state.deliveryStatus : null,
      to: input.status,
      correction: input.correction ?? false,
      told: await reportedDeliveryStatuses(tx, input.orderId),
    });
    if (change.type === "not_confirmed" || change.type === "refused") return change;

    const previous = state.tracking;
    const tracking: Tracking = {
      ...previous,
      number: input.trackingNumber ?? previous.number,
      carrier: input.carrier ?? previous.carrier,
      url: input.trackingUrl ?? previous.url,
      expectedDate: input.expectedDate ?? previous.expectedDate,
      failureReason: input.status === "delivery_failed" ? (input.failureReason ?? null) : null,
      pickup: input.pickup
        ? {
            point: input.pickup.point ?? null,
            address: input.pickup.address ?? null,
            hours: input.pickup.hours ?? null,
            storageUntil: input.pickup.storageUntil ?? null,
          }
        : previous.pickup,
    };
    // A date announced for the delivery, with a new status or without one (a carrier's new estimate).
    // (Only a confirmed order gets here: decideDeliveryStatus refused the others.)
    if (input.expectedDate && !finalDeliveryStatuses.includes(input.status) && input.status !== "ready_for_pickup") {
      const announced = await announceDeliveryDate(tx, deps, { state, date: input.expectedDate, now }, () => (kick = true));
      brokenPromise = announced === "broken";
    }
    if (state.deliveryStatus === input.status) {
      await tx.order.update({ where: { id: input.orderId }, data: { tracking: { ...tracking } } });
      return { type: "unchanged", status: input.status, seq: previous.statusSeq };
    }

    const seq = previous.statusSeq + 1;
    tracking.statusSeq = seq;
    const delivered = input.status === "delivered";
    await tx.order.update({
      where: { id: input.orderId },
      data: { deliveryStatus: input.status, deliveryStatusAt: now, tracking: { ...tracking }, ...(delivered ? { deliveredAt: now } : {}) },
    });
    await appendOrderEvents(tx, input.orderId, now, "shop", [
      {
        type: "delivery.status",
        data: {
          status: input.status,
          seq,
          ...(change.type === "changed" && !change.tell ? { untold: true } : {}),
          ...(input.expectedDate ? { expectedDate: input.expectedDate } : {}),
          ...(tracking.number ? { trackingNumber: tracking.number } : {}),
        },
      },
    ]);

    // Promises: kept on delivery; the parcel's pending jobs end with it.
    if (delivered) {
      await tx.orderPromise.updateMany({ where: { orderId: input.orderId, status: "open" }, data: { status: "kept", closedAt: now } });
      await cancelJobs(tx, { orderId: input.orderId, kinds: finishedParcelJobs, now, reason: "delivered" });
    } else if (finalDeliveryStatuses.includes(input.status)) {
      await cancelJobs(tx, { orderId: input.orderId, kinds: finishedParcelJobs, now, reason: input.status });
    }

    await cancelJobs(tx, { orderId: input.orderId, kinds: [followUpJobs.quietParcel], now, reason: "the status changed" });
    await planQuietParcelChecks(tx, deps, { orderId: input.orderId, statusSeq: seq, status: input.status, now });
    const storageUntil = tracking.pickup?.storageUntil;
    if (input.status === "ready_for_pickup" && storageUntil) {
      const remindAt = new Date(Date.parse(storageUntil) - config.notifications.pickup.storageReminderHoursBefore * hourMs);
      if (!Number.isNaN(remindAt.getTime())) {
        await scheduleJob(tx, {
          kind: followUpJobs.pickupStorage,
          dueAt: remindAt.getTime() > now.getTime() ? remindAt : now,
          dedupeKey: `${followUpJobs.pickupStorage}:${input.orderId}:${storageUntil}`,
          orderId: input.orderId,
          payload: { storageUntil },
          now,
        });
      }
    }

    const intent = { kind: "notify.status", orderId: input.orderId, status: input.status, seq } as const;
    let messaged = false;
    if (change.type === "changed" && change.tell && mayMessageAutomatically(state, config.notifications, intent).ok) {
      ({ enqueued: messaged } = await enqueueAutomaticMessage(tx, deps, {
        chatId: state.chatId!,
        orderId: input.orderId,
        intent,
        idempotencyKey: `order:${input.orderId}:status:${seq}`,
        now,
      }));
      if (messaged) kick = true;
    }
    return { type: "updated", status: input.status, seq, messaged };
  });
  if (kick) deps.outbox.kick();
  if (brokenPromise)
    await escalateOrder(deps, { orderId: input.orderId, reason: "broken_promise", detail: `the shop now expects ${input.expectedDate}` });
  return result;
}
