import { loadCustomerOrder } from "./customer-order-access.js";
import { bookDeliverySlot, bookedSlots } from "../db/delivery-slot-repository.js";
import { findFollowUpState, type FollowUpState } from "../db/follow-up-repository.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { findOrder, updateOrderDelivery, type OrderRecord } from "../db/order-repository.js";
import { rollBackWith, withTransaction, type DbOrTx } from "../db/transaction.js";
import { deliveryDays, openWindows, windowAhead } from "../domain/delivery-options.js";
import { remediesFor, type RemedyKind, type RemedySituation } from "../domain/delivery-remedies.js";
import type { Delivery } from "../domain/order.js";
import { cancelJobs } from "../scheduler/schedule-job.js";
import { newId } from "../shared/ids.js";
import { releaseHeldSlot } from "./delivery-slots.js";
import { replaceDeliveryPromise } from "./delivery-promises.js";
import { dialogSettingsFrom } from "../config/dialog-settings-snapshot.js";
import { dialogRules } from "./dialog-settings.js";
import { enqueueOrderWebhooks } from "./order-webhooks.js";
import type { ServiceDependencies } from "./service-dependencies.js";

// Issue 16 items 6 and 7: a moved or broken promise, or a failed delivery attempt, comes with
// concrete ways out the customer chooses in the chat (src/flows/remedies). The choice is applied
// like any other change of the order (its delivery, the courier place, the promise and its
// reminder, the history) and reaches the shop as a signed `order.remedy_chosen` webhook with the
// order as it now stands; a cancellation also as `order.cancelled`.

export type RemedyChoice =
  | { kind: "new_day"; date: string; window: string }
  | { kind: "pickup"; pointId: string }
  | { kind: "address"; address: string }
  | { kind: "cancel" }
  | { kind: "code" };

/** What the customer may choose for an order now: the situation and the remedies that fit it. */
export interface RemedyOffer {
  record: OrderRecord;
  situation: RemedySituation;
  kinds: RemedyKind[];
}

export type RemedyResult =
  | { type: "applied"; choice: RemedyChoice; record: OrderRecord; code: string | null }
  /** The window filled up since it was offered. */
  | { type: "slot_full" }
  /** Not (or no longer) offered: the parcel arrived, the situation passed, the shop does not allow it. */
  | { type: "not_offered" }
  | { type: "not_yours" }
  | { type: "not_found" };

/** The reason the order.cancelled webhook carries when the customer cancels as a remedy. */
export const remedyCancelReason = "delivery_problem";

/** The courier's days and windows as configured now (a remedy is a new agreement, made today). */
const currentCourier = (config: ReturnType<ServiceDependencies["config"]>) => dialogRules(dialogSettingsFrom(config)).delivery.courier;

/** How long after "Correct the address" the customer's next text is taken as the address. */
const addressWindowMs = 24 * 60 * 60_000;

/**
 * Where the order stands, for the remedies: a failed attempt (its reason), or the last promise
 * the shop moved or broke, as long as nothing settled it since (the parcel arrived, or the
 * customer chose a remedy). Null: nothing to make up for.
 */
async function situationOf(tx: DbOrTx, state: FollowUpState): Promise<RemedySituation | null> {
  if (state.state !== "confirmed" || state.deliveredAt || state.deliveryStatus === "returned_to_sender") return null;
  if (state.deliveryStatus === "delivery_failed" && state.deliveryStatusAt) {
    return (await settledSince(tx, state.orderId, state.deliveryStatusAt))
      ? null
      : { type: "failed", reason: state.tracking.failureReason ?? null };
  }
  const last = await tx.orderPromise.findFirst({
    where: { orderId: state.orderId, status: { in: ["moved", "broken"] } },
    orderBy: { closedAt: "desc" },
  });
  if (!last?.closedAt) return null;
  return (await settledSince(tx, state.orderId, last.closedAt)) ? null : { type: last.status === "moved" ? "moved" : "broken" };
}

/** Whether the customer chose a way out since `since` (a code is an apology: the rest stays open). */
async function settledSince(tx: DbOrTx, orderId: string, since: Date): Promise<boolean> {
  const chosen = await tx.orderEvent.findMany({
    where: { orderId, type: "customer.remedy_chosen", at: { gte: since } },
    select: { data: true },
  });
  return chosen.some((event) => (event.data as { kind?: string } | null)?.kind !== "code");
}

async function offerIn(tx: DbOrTx, deps: ServiceDependencies, record: OrderRecord): Promise<RemedyOffer | null> {
  const state = await findFollowUpState(tx, record.order.id);
  const situation = state ? await situationOf(tx, state) : null;
  if (!situation) return null;
  const config = deps.config();
  const delivery = record.order.delivery;
  const kinds = remediesFor(situation, config.notifications.promises.remedies, {
    courier: config.delivery.courier.enabled && Boolean(delivery?.address),
    pickupPoints: config.delivery.pickup.enabled
      ? config.delivery.pickup.points.filter((point) => point.id !== delivery?.pointId).length
      : 0,
    code: config.notifications.promises.code !== null,
    toPickup: delivery?.method === "pickup",
  });
  return kinds.length > 0 ? { record, situation, kinds } : null;
}

/** The remedies an order's customer may choose now (null: none); `record` when the caller has read it. */
export async function remedyOffer(deps: ServiceDependencies, order: string | OrderRecord): Promise<RemedyOffer | null> {
  const record = typeof order === "string" ? await findOrder(deps.db, order) : order;
  return record ? offerIn(deps.db, deps, record) : null;
}

/** The courier days with a free window, or a day's free windows, as the customer would be offered them. */
export async function remedyCourierOptions(
  deps: ServiceDependencies,
  date: string | null,
): Promise<{ days: string[] } | { date: string; windows: string[] }> {
  const config = deps.config();
  const courier = currentCourier(config);
  const now = deps.clock.now();
  const days = deliveryDays(now, config.shop.timeZone, courier);
  const booked = await bookedSlots(deps.db, date ? [date] : days);
  if (date && days.includes(date)) return { date, windows: openWindows(courier, date, booked, now, config.shop.timeZone) };
  return { days: days.filter((day) => openWindows(courier, day, booked, now, config.shop.timeZone).length > 0) };
}

/**
 * Applies what the customer chose, if it is still offered: checked again on fresh state in the
 * transaction (the parcel may have arrived, the window filled up). Another customer's order is
 * refused.
 */
export async function chooseRemedy(
  deps: ServiceDependencies,
  input: { orderId: string; telegramUserId: bigint; choice: RemedyChoice },
): Promise<RemedyResult> {
  const now = deps.clock.now();
  const config = deps.config();
  let queued = false;
  const result = await withTransaction(deps.db, async (tx): Promise<RemedyResult> => {
    const access = await loadCustomerOrder(deps, input.orderId, input.telegramUserId, tx);
    if (access.type !== "ok") return access;
    const { record } = access;
    const offer = await offerIn(tx, deps, record);
    const { choice } = input;
    if (!offer || !offer.kinds.includes(choice.kind)) return { type: "not_offered" };
    const delivery: Delivery = record.order.delivery ?? { method: null, address: null, date: null, window: null };
    const courier = currentCourier(config);

    switch (choice.kind) {
      case "new_day": {
        const capacity = courier.windows.find((w) => w.window === choice.window)?.capacity;
        const open =
          deliveryDays(now, config.shop.timeZone, courier).includes(choice.date) &&
          windowAhead(choice.date, choice.window, now, config.shop.timeZone);
        if (capacity === undefined || !open) return { type: "not_offered" };
        const freed = await releaseHeldSlot(tx, delivery);
        if (!(await bookDeliverySlot(tx, { date: choice.date, window: choice.window, capacity })))
          return rollBackWith({ type: "slot_full" } as const);
        await updateOrderDelivery(
          tx,
          record.order.id,
          { ...freed!, method: "courier", date: choice.date, window: choice.window, pointId: null, slotBooked: true },
          now,
        );
        await replaceDeliveryPromise(tx, deps, {
          orderId: record.order.id,
          dueDate: choice.date,
          window: choice.window,
          method: "courier",
          now,
        });
        break;
      }
      case "pickup": {
        if (!config.delivery.pickup.points.some((point) => point.id === choice.pointId)) return { type: "not_offered" };
        const freed = await releaseHeldSlot(tx, delivery);
        await updateOrderDelivery(
          tx,
          record.order.id,
          { ...freed!, method: "pickup", pointId: choice.pointId, date: null, window: null },
          now,
        );
        await replaceDeliveryPromise(tx, deps, { orderId: record.order.id, dueDate: null, window: null, method: "pickup", now });
        break;
      }
      case "address":
        await updateOrderDelivery(tx, record.order.id, { ...delivery, address: choice.address }, now);
        break;
      case "cancel": {
        await releaseHeldSlot(tx, delivery);
        await tx.order.update({ where: { id: record.order.id }, data: { state: "cancelled", updatedAt: now } });
        await tx.orderPromise.updateMany({
          where: { orderId: record.order.id, status: "open" },
          data: { status: "superseded", closedAt: now },
        });
        await cancelJobs(tx, { orderId: record.order.id, now, reason: "the customer cancelled the order" });
        break;
      }
      case "code":
        break;
    }
    const code = choice.kind === "code" ? config.notifications.promises.code : null;
    const remedy = {
      ...choice,
      ...(code ? { code } : {}),
      situation: offer.situation.type,
      ...(offer.situation.type === "failed" ? { failureReason: offer.situation.reason } : {}),
    };
    await appendOrderEvents(tx, record.order.id, now, "customer", [{ type: "customer.remedy_chosen", data: remedy }]);
    const saved = (await findOrder(tx, record.order.id))!;
    const occurrence = `remedy:${newId()}`;
    const events = choice.kind === "cancel" ? (["order.remedy_chosen", "order.cancelled"] as const) : (["order.remedy_chosen"] as const);
    queued =
      (await enqueueOrderWebhooks(tx, saved, [...events], {
        now,
        botUsername: deps.botUsername,
        occurrence,
        details: { remedy, ...(choice.kind === "cancel" ? { reason: remedyCancelReason } : {}) },
      })) > 0;
    return { type: "applied", choice, record: saved, code };
  });
  if (queued) deps.outbox.kick();
  return result;
}

/** "Correct the address": the customer's next text in the chat (within a day) becomes it. */
export async function requestRemedyAddress(
  deps: ServiceDependencies,
  input: { orderId: string; telegramUserId: bigint },
): Promise<Exclude<RemedyResult, { type: "applied" }> | { type: "waiting" }> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const access = await loadCustomerOrder(deps, input.orderId, input.telegramUserId, tx);
    if (access.type !== "ok") return access;
    const { record } = access;
    const offer = await offerIn(tx, deps, record);
    if (!offer?.kinds.includes("address")) return { type: "not_offered" } as const;
    await appendOrderEvents(tx, record.order.id, now, "customer", [{ type: "customer.remedy_address_requested", data: {} }]);
    return { type: "waiting" } as const;
  });
}

/** The order whose address the customer was asked to write, when their text should be it. */
export async function orderAwaitingRemedyAddress(deps: ServiceDependencies, telegramUserId: bigint): Promise<string | null> {
  const now = deps.clock.now();
  const asked = await deps.db.orderEvent.findFirst({
    where: {
      type: "customer.remedy_address_requested",
      at: { gt: new Date(now.getTime() - addressWindowMs) },
      order: { chatId: telegramUserId, state: "confirmed" },
    },
    orderBy: { at: "desc" },
    select: { orderId: true, at: true },
  });
  if (!asked) return null;
  const answered = await deps.db.orderEvent.count({
    where: { orderId: asked.orderId, type: "customer.remedy_chosen", at: { gte: asked.at } },
  });
  return answered > 0 ? null : asked.orderId;
}
