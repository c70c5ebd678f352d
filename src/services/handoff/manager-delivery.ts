import { bookedSlots } from "../../db/delivery-slot-repository.js";
import { findHandoff, findLatestHandoff } from "../../db/handoff-repository.js";
import { appendOrderEvents } from "../../db/order-event-repository.js";
import { findOrder, saveDecision, type OrderRecord } from "../../db/order-repository.js";
import { rollBackWith, withTransaction } from "../../db/transaction.js";
import { deliveryDays, enabledMethods, openWindows } from "../../domain/delivery-options.js";
import { decideDeliverySlot } from "../../domain/handoff.js";
import type { RejectionCode } from "../../domain/order-dialog.js";
import { newId } from "../../shared/ids.js";
import { applySlotEvents } from "../delivery-slots.js";
import { dialogRules, dialogSettingsOf } from "../dialog-settings.js";
import { enqueueOrderWebhooks, webhookEventsFor } from "../order-webhooks.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";
import type { Manager } from "./manager.js";
import { toJsonObject } from "../../shared/json-value.js";

/**
 * A manager changes the courier delivery of the escalated order from its card: a picker in the
 * customer's topic offers the days and windows the customer would be offered (full windows left
 * out), and the chosen one goes through the dialog's rules, the slot booking, the history and the
 * shop's `order.changed` webhook; the customer is told in one line.
 */

export type DeliveryPickerProblem =
  /** The handoff has no order, or the order is gone. */
  | "no_order"
  /** The order is confirmed or cancelled already. */
  | "final"
  /** The shop fixed the delivery: it is not changed here. */
  | "fixed"
  /** The shop does not deliver by courier. */
  | "no_courier";

export type DeliveryPickerResult = { type: "shown" } | { type: "not_possible"; problem: DeliveryPickerProblem };

/** What the picker offers now: the days with a free window, or a day's free windows. */
export type DeliveryOffer =
  | { type: "days"; record: OrderRecord; days: string[] }
  | { type: "windows"; record: OrderRecord; date: string; windows: Array<{ window: string; index: number }> }
  | { type: "not_possible"; problem: DeliveryPickerProblem };

async function deliveryOfferFor(deps: ServiceDependencies, orderId: string | null, date: string | null): Promise<DeliveryOffer> {
  const record = orderId ? await findOrder(deps.db, orderId) : null;
  if (!record) return { type: "not_possible", problem: "no_order" };
  if (record.order.state !== "awaiting_customer") return { type: "not_possible", problem: "final" };
  if (record.order.delivery?.fixed) return { type: "not_possible", problem: "fixed" };
  const rules = dialogRules(dialogSettingsOf(record, deps));
  const courier = rules.delivery.courier;
  if (!enabledMethods(rules.delivery).includes("courier")) return { type: "not_possible", problem: "no_courier" };
  const now = deps.clock.now();
  const days = deliveryDays(now, rules.timeZone, courier);
  const booked = await bookedSlots(deps.db, date ? [date] : days);
  const open = (day: string) => openWindows(courier, day, booked, now, rules.timeZone);
  if (date && days.includes(date)) {
    const free = open(date);
    return {
      type: "windows",
      record,
      date,
      windows: courier.windows.flatMap((w, index) => (free.includes(w.window) ? [{ window: w.window, index }] : [])),
    };
  }
  return { type: "days", record, days: days.filter((day) => open(day).length > 0) };
}

/** The picker's content for the renderer: the escalated order's days (date null) or a day's windows. */
export async function deliveryOffer(deps: ServiceDependencies, input: { handoffId: string; date: string | null }): Promise<DeliveryOffer> {
  const handoff = await findHandoff(deps.db, input.handoffId);
  return deliveryOfferFor(deps, handoff?.orderId ?? null, input.date);
}

/**
 * Shows the picker in the customer's topic (queued, paced with the group): a new message from the
 * card (`messageId` null), or the picker message itself edited (a day tapped, "other day").
 */
export async function showDeliveryPicker(
  deps: ServiceDependencies,
  input: { handoffId: string; date: string | null; messageId: number | null },
): Promise<DeliveryPickerResult> {
  const handoff = await findHandoff(deps.db, input.handoffId);
  const offer = await deliveryOfferFor(deps, handoff?.orderId ?? null, input.date);
  if (offer.type === "not_possible") return offer;
  const group = deps.config().managers.groupChatId;
  if (!handoff || group === null) return { type: "not_possible", problem: "no_order" };
  const now = deps.clock.now();
  await withTransaction(deps.db, (tx) =>
    enqueueHandoffMessage(
      tx,
      group,
      { kind: "handoff.delivery_picker", handoffId: handoff.id, date: input.date, messageId: input.messageId, done: false },
      { key: `${handoff.id}:delivery:${newId()}`, now, orderId: handoff.orderId },
    ),
  );
  deps.outbox.kick();
  return { type: "shown" };
}

export type ChangeDeliveryResult =
  | { type: "changed"; date: string; window: string }
  /** That is the delivery already: nothing to change. */
  | { type: "unchanged" }
  /** SLOT_FULL: the window filled up since the picker showed it. */
  | { type: "rejected"; code: RejectionCode | "SLOT_FULL" }
  | { type: "not_found" };

/** Several instances (or a customer's tap) writing at once: decide again on fresh state. */
const maxAttempts = 5;

/**
 * Sets the escalated order's courier day and window, as the manager picked them: decided by the
 * dialog's rules, the place booked (refused when the window is full) and the old one released,
 * the history names the manager, the shop gets `order.changed`, the customer a line about it, and
 * the picker and the card show the result.
 */
export async function changeDeliverySlot(
  deps: ServiceDependencies,
  input: { handoffId: string; manager: Manager; date: string; windowIndex: number; pickerMessageId: number | null },
): Promise<ChangeDeliveryResult> {
  const { manager } = input;
  const actor = `manager:${manager.id}`;
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const result = await withTransaction(deps.db, async (tx): Promise<ChangeDeliveryResult | "conflict"> => {
      const handoff = await findHandoff(tx, input.handoffId);
      const record = handoff?.orderId ? await findOrder(tx, handoff.orderId) : null;
      if (!handoff || !record || record.chatId === null) return { type: "not_found" };
      const chatId = record.chatId;
      const rules = dialogRules(dialogSettingsOf(record, deps));
      const window = rules.delivery.courier.windows[input.windowIndex];
      if (!window) return { type: "rejected", code: "NOT_OFFERED" };
      const delivery = record.order.delivery;
      if (delivery?.method === "courier" && delivery.slotBooked && delivery.date === input.date && delivery.window === window.window)
        return { type: "unchanged" };

      const decision = decideDeliverySlot(record.order, record.dialog, { date: input.date, window: window.window }, { rules, now });
      if (decision.type === "rejected") return { type: "rejected", code: decision.code };
      // The new place first (it may be full), then the old one is freed: as for the customer's tap.
      if ((await applySlotEvents(tx, decision.events, rules.delivery.courier)) === "full")
        return rollBackWith({ type: "rejected", code: "SLOT_FULL" } as const);
      if ((await saveDecision(tx, record.dialog.version, decision.order, decision.dialog)) === "conflict")
        return rollBackWith("conflict" as const);
      await appendOrderEvents(
        tx,
        record.order.id,
        now,
        actor,
        decision.events.map(({ type, ...data }) => ({ type: `manager.${type}`, data: toJsonObject({ ...data, manager: manager.name }) })),
      );
      const saved = (await findOrder(tx, record.order.id))!;
      await enqueueOrderWebhooks(tx, saved, webhookEventsFor(decision.events), { now, botUsername: deps.botUsername });

      const version = saved.dialog.version;
      const key = `${handoff.id}:delivery:${record.order.id}:v${version}`;
      // The customer hears it in one line, and the order's message shows the new slot in place.
      await enqueueHandoffMessage(
        tx,
        chatId,
        { kind: "handoff.delivery_changed", handoffId: handoff.id, orderId: record.order.id, managerName: manager.name },
        { key: `${key}:customer`, now, orderId: record.order.id },
      );
      await enqueueHandoffMessage(
        tx,
        chatId,
        { kind: "handoff.dialog", orderId: record.order.id, how: "refresh" },
        { key: `refresh:${record.order.id}:v${version}`, now, orderId: record.order.id },
      );
      const group = deps.config().managers.groupChatId;
      if (group !== null) {
        await enqueueHandoffMessage(
          tx,
          group,
          { kind: "handoff.delivery_picker", handoffId: handoff.id, date: input.date, messageId: input.pickerMessageId, done: true },
          { key: `${key}:picker`, now, orderId: record.order.id },
        );
        const latest = await findLatestHandoff(tx, chatId);
        if (latest)
          await enqueueHandoffMessage(
            tx,
            group,
            { kind: "handoff.card", handoffId: latest.id },
            { key: `${latest.id}:card:${newId()}`, now, orderId: record.order.id },
          );
      }
      return { type: "changed", date: input.date, window: window.window };
    });
    if (result !== "conflict") {
      if (result.type === "changed") deps.outbox.kick();
      return result;
    }
    if (attempt >= maxAttempts) return { type: "rejected", code: "STALE" };
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
  }
}
