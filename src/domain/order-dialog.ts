import {
  deliveryDays,
  enabledMethods,
  methodPriceRule,
  priceFor,
  windowAhead,
  type DeliveryMethod,
  type DeliveryRules,
} from "./delivery-options.js";
import {
  isFinal,
  itemsTotal,
  orderLimits,
  shortLines,
  type Delivery,
  type Order,
  type OrderLine,
  type ShortageResolution,
} from "./order.js";
import { allowedSubstitutes, type SubstituteRules } from "./substitutes.js";

/**
 * The order confirmation dialog as a state machine: decide(order, dialog, command, context)
 * returns the new order and dialog plus the events that happened, or why the command was
 * refused. No I/O and no clock of its own: the caller loads, decides and saves in one
 * transaction, and passes `now` in.
 *
 * The dialog walks the customer through what is still open, in this order: lines that are short
 * in stock (one at a time), then the delivery (method, zone, day, window or pickup point,
 * address), then the read-back with Confirm. A delivery the shop sent complete is only read back.
 */

/**
 * Who speaks in the customer's chat. Automated messages check it first. Not part of an order's
 * dialog: it follows from the chat's open handoff (chatOwnerFor in handoff.ts).
 */
export type ChatOwner = "bot" | "waiting_manager" | `manager:${string}`;

/** Where the customer is in the dialog; decides which buttons the dialog's message carries. */
export type DialogStep =
  | { name: "read_back" }
  | { name: "edit_menu" }
  | { name: "choose_line"; purpose: "quantity" | "remove" | "rechoose" }
  | { name: "choose_quantity"; position: number }
  | { name: "choose_cancel_reason" }
  | { name: "resolve_shortage"; position: number }
  | { name: "choose_delivery_method" }
  | { name: "choose_courier_zone" }
  | { name: "choose_delivery_day" }
  | { name: "choose_delivery_window"; date: string }
  | { name: "choose_pickup_point" }
  | { name: "confirm_address" }
  | { name: "ask_comment" }
  | { name: "finished" };

export interface Dialog {
  step: DialogStep;
  /** Bumped by every accepted command; buttons carry it, so a tap on an old message is spotted. */
  version: number;
  /** Lines resolved because they were short, with the original line to choose again. */
  resolutions: ShortageResolution[];
  /** Optional steps answered or skipped ("comment"), not asked again. */
  done: OptionalStep[];
}

/** Steps a shop may ask or leave out (config confirmation.steps). */
export type OptionalStep = "delivery" | "address" | "comment";

export type CustomerCommand =
  | { type: "confirm" }
  | { type: "open_edit_menu" }
  | { type: "back_to_read_back" }
  | { type: "choose_line"; purpose: "quantity" | "remove" | "rechoose" }
  | { type: "choose_quantity_for"; position: number }
  | { type: "set_quantity"; position: number; quantity: number }
  | { type: "remove_line"; position: number }
  | { type: "set_address"; address: string }
  | { type: "set_comment"; comment: string }
  | { type: "open_cancel" }
  | { type: "cancel"; reason: string }
  | { type: "request_human" }
  | { type: "choose_substitute"; position: number; sku: string }
  | { type: "take_available"; position: number }
  | { type: "choose_again"; position: number }
  | { type: "open_delivery" }
  | { type: "open_address" }
  | { type: "choose_method"; method: DeliveryMethod }
  | { type: "choose_zone"; zone: string }
  | { type: "choose_day"; date: string }
  | { type: "choose_window"; window: string }
  | { type: "choose_point"; pointId: string }
  | { type: "skip_comment" };

/** What happened, for the history, the shop's webhooks and the slot bookings. */
export type DialogEvent =
  | { type: "quantity_changed"; position: number; sku: string; from: number; to: number }
  | { type: "line_removed"; position: number; sku: string }
  | { type: "address_changed"; from: string | null; to: string }
  | { type: "comment_changed"; from: string | null; to: string }
  | { type: "confirmed" }
  | { type: "cancelled"; reason: string }
  | { type: "human_requested"; step: DialogStep["name"] }
  | { type: "substitute_chosen"; position: number; from: string; to: string; unitPriceMinor: bigint }
  | { type: "partial_taken"; position: number; sku: string; from: number; to: number }
  | { type: "shortage_reopened"; position: number; sku: string }
  | { type: "shortage_found"; positions: number[] }
  | { type: "delivery_changed"; delivery: Delivery }
  | { type: "slot_chosen"; date: string; window: string }
  | { type: "slot_released"; date: string; window: string }
  /** The day and window chosen passed before the customer confirmed: they choose again. */
  | { type: "slot_passed"; date: string; window: string };

export type RejectionCode =
  | "ORDER_FINAL"
  | "STALE"
  | "UNKNOWN_LINE"
  | "INVALID_QUANTITY"
  | "WOULD_EMPTY_ORDER"
  | "INVALID_ADDRESS"
  | "INVALID_COMMENT"
  | "UNKNOWN_CANCEL_REASON"
  | "NOT_OFFERED"
  | "DELIVERY_FIXED";

export type Decision =
  { type: "accepted"; order: Order; dialog: Dialog; events: DialogEvent[] } | { type: "rejected"; code: RejectionCode };

export interface DialogRules {
  /** Reason codes the shop offers when a customer cancels. */
  cancelReasons: readonly string[];
  /** What is asked before the read-back, in this order (short items always come first). */
  steps: readonly OptionalStep[];
  delivery: DeliveryRules;
  substitutes: SubstituteRules;
  /** The shop's time zone: delivery days and the same-day cut-off are local. */
  timeZone: string;
}

export interface DecisionContext {
  rules: DialogRules;
  now: Date;
}

export const initialDialog = (): Dialog => ({ step: { name: "read_back" }, version: 0, resolutions: [], done: [] });

const reject = (code: RejectionCode): Decision => ({ type: "rejected", code });

const needsAddress = (method: string | null | undefined) => method === "courier" || method === "post";

/** The first thing still open in the order, or the read-back when nothing is. */
export function nextOpenStep(order: Order, rules: DialogRules, done: readonly OptionalStep[] = []): DialogStep {
  const short = shortLines(order)[0];
  if (short) return { name: "resolve_shortage", position: short.position };
  const delivery = order.delivery;
  const method = delivery?.method ?? null;
  for (const step of rules.steps) {
    if (done.includes(step)) continue;
    if (step === "delivery" && !delivery?.fixed) {
      if (method === null) {
        if (enabledMethods(rules.delivery).length) return { name: "choose_delivery_method" };
        continue;
      }
      if (method === "courier") {
        if (rules.delivery.courier.zones.length && !delivery?.zone && !delivery?.priceFromShop) return { name: "choose_courier_zone" };
        if (!delivery?.date) return { name: "choose_delivery_day" };
        if (!delivery.window) return { name: "choose_delivery_window", date: delivery.date };
      }
      if (method === "pickup" && !delivery?.pointId && !delivery?.address) return { name: "choose_pickup_point" };
    }
    if (step === "address" && !delivery?.fixed && needsAddress(method) && !delivery?.address) return { name: "confirm_address" };
    if (step === "comment" && !order.comment) return { name: "ask_comment" };
  }
  return { name: "read_back" };
}

/** Delivery with its price for the items as they now are (unless the shop set the price). */
export function priced(order: Order, rules: DialogRules): Order {
  const delivery = order.delivery;
  if (!delivery?.method || delivery.priceFromShop) return order;
  const rule = methodPriceRule(rules.delivery, delivery.method, delivery.zone);
  const priceMinor = rule && order.currency === rules.delivery.currency ? priceFor(rule, itemsTotal(order)) : null;
  return priceMinor === (delivery.priceMinor ?? null) ? order : { ...order, delivery: { ...delivery, priceMinor } };
}

const emptyDelivery: Delivery = { method: null, address: null, date: null, window: null };

export function decide(
  order: Order,
  dialog: Dialog,
  command: CustomerCommand,
  context: DecisionContext,
  expectedVersion?: number,
): Decision {
  const { rules, now } = context;
  if (isFinal(order)) return reject("ORDER_FINAL");
  if (expectedVersion !== undefined && expectedVersion !== dialog.version) return reject("STALE");

  /** The dialog moves on: to `step`, or to whatever is still open in the changed order. */
  const next = (
    step: DialogStep | "next_open",
    changes: Partial<Order> = {},
    events: DialogEvent[] = [],
    dialogChanges: Partial<Pick<Dialog, "resolutions" | "done">> = {},
  ): Decision => {
    // The delivery price follows the items (a "free from" threshold may be crossed).
    const changed = priced({ ...order, ...changes }, rules);
    const done = dialogChanges.done ?? dialog.done;
    return {
      type: "accepted",
      order: changed,
      dialog: {
        // What the caller's dialog carries beyond the domain's (the stored message...) stays.
        ...dialog,
        step: step === "next_open" ? nextOpenStep(changed, rules, done) : step,
        version: dialog.version + 1,
        resolutions: dialogChanges.resolutions ?? dialog.resolutions,
        done,
      },
      events,
    };
  };
  const doneWith = (step: OptionalStep): OptionalStep[] => (dialog.done.includes(step) ? dialog.done : [...dialog.done, step]);
  const lineAt = (position: number) => order.items.find((line) => line.position === position);
  const replaceLine = (line: OrderLine, replacement: OrderLine | null) =>
    order.items.flatMap((l) => (l === line ? (replacement ? [replacement] : []) : [l]));
  const resolved = (line: OrderLine, choice: ShortageResolution["choice"]): ShortageResolution[] => [
    ...dialog.resolutions.filter((r) => r.position !== line.position),
    { position: line.position, original: dialog.resolutions.find((r) => r.position === line.position)?.original ?? line, choice },
  ];
  const delivery = order.delivery ?? emptyDelivery;
  const releaseSlot = (): DialogEvent[] =>
    delivery.slotBooked && delivery.date && delivery.window
      ? [{ type: "slot_released", date: delivery.date, window: delivery.window }]
      : [];
  const changeDelivery = (changes: Partial<Delivery>, events: DialogEvent[] = []): Decision => {
    const updated: Delivery = { ...delivery, ...changes };
    return next("next_open", { delivery: updated }, [...events, { type: "delivery_changed", delivery: updated }]);
  };

  switch (command.type) {
    case "confirm": {
      const open = nextOpenStep(order, rules, dialog.done);
      if (open.name === "resolve_shortage") {
        // Stock changed since the read-back: the customer is told and asked again.
        return next(open, {}, [{ type: "shortage_found", positions: shortLines(order).map((l) => l.position) }]);
      }
      if (open.name !== "read_back") return next(open);
      // The day and window chosen may have passed while the read-back waited (a customer who
      // confirms on Wednesday what was chosen for Tuesday): never confirm a promise already broken.
      if (
        delivery.method === "courier" &&
        !delivery.fixed &&
        delivery.date &&
        delivery.window &&
        !windowAhead(delivery.date, delivery.window, now, rules.timeZone)
      ) {
        return next({ name: "choose_delivery_day" }, { delivery: { ...delivery, date: null, window: null, slotBooked: false } }, [
          ...releaseSlot(),
          { type: "slot_passed", date: delivery.date, window: delivery.window },
        ]);
      }
      return next({ name: "finished" }, { state: "confirmed" }, [{ type: "confirmed" }]);
    }
    case "open_edit_menu":
      return next({ name: "edit_menu" });
    case "back_to_read_back":
      return next("next_open");
    case "choose_line":
      return next({ name: "choose_line", purpose: command.purpose });
    case "choose_quantity_for":
      return lineAt(command.position) ? next({ name: "choose_quantity", position: command.position }) : reject("UNKNOWN_LINE");
    case "set_quantity": {
      const line = lineAt(command.position);
      if (!line) return reject("UNKNOWN_LINE");
      if (!Number.isInteger(command.quantity) || command.quantity < 1 || command.quantity > orderLimits.maxQuantity) {
        return reject("INVALID_QUANTITY");
      }
      if (command.quantity === line.quantity) return next("next_open");
      return next("next_open", { items: replaceLine(line, { ...line, quantity: command.quantity }) }, [
        { type: "quantity_changed", position: line.position, sku: line.sku, from: line.quantity, to: command.quantity },
      ]);
    }
    case "remove_line": {
      const line = lineAt(command.position);
      if (!line) return reject("UNKNOWN_LINE");
      if (order.items.length === 1) return reject("WOULD_EMPTY_ORDER");
      const resolutions = shortLines({ items: [line] }).length ? resolved(line, "removed") : dialog.resolutions;
      return next("next_open", { items: replaceLine(line, null) }, [{ type: "line_removed", position: line.position, sku: line.sku }], {
        resolutions,
      });
    }
    case "choose_substitute": {
      const line = lineAt(command.position);
      if (!line) return reject("UNKNOWN_LINE");
      const substitute = allowedSubstitutes(line, rules.substitutes, undefined, order.currency).find((s) => s.sku === command.sku);
      if (!substitute) return reject("NOT_OFFERED");
      const replacement: OrderLine = {
        ...line,
        sku: substitute.sku,
        name: substitute.name,
        unitPriceMinor: substitute.unitPriceMinor,
        available: substitute.available ?? null,
        substitutes: [],
      };
      return next(
        "next_open",
        { items: replaceLine(line, replacement) },
        [
          {
            type: "substitute_chosen",
            position: line.position,
            from: line.sku,
            to: substitute.sku,
            unitPriceMinor: substitute.unitPriceMinor,
          },
        ],
        { resolutions: resolved(line, "substitute") },
      );
    }
    case "take_available": {
      const line = lineAt(command.position);
      if (!line) return reject("UNKNOWN_LINE");
      const available = line.available;
      if (!rules.substitutes.offerPartial || available === null || available < 1 || available >= line.quantity)
        return reject("NOT_OFFERED");
      return next(
        "next_open",
        { items: replaceLine(line, { ...line, quantity: available }) },
        [{ type: "partial_taken", position: line.position, sku: line.sku, from: line.quantity, to: available }],
        { resolutions: resolved(line, "partial") },
      );
    }
    case "choose_again": {
      const resolution = dialog.resolutions.find((r) => r.position === command.position);
      if (!resolution) return reject("UNKNOWN_LINE");
      const restored = order.items.some((l) => l.position === command.position)
        ? order.items.map((l) => (l.position === command.position ? resolution.original : l))
        : [...order.items, resolution.original].sort((a, b) => a.position - b.position);
      return next(
        { name: "resolve_shortage", position: command.position },
        { items: restored },
        [{ type: "shortage_reopened", position: command.position, sku: resolution.original.sku }],
        { resolutions: dialog.resolutions.filter((r) => r !== resolution) },
      );
    }
    case "open_delivery":
      if (delivery.fixed) return reject("DELIVERY_FIXED");
      return next({ name: "choose_delivery_method" });
    case "choose_method": {
      if (delivery.fixed) return reject("DELIVERY_FIXED");
      if (!enabledMethods(rules.delivery).includes(command.method)) return reject("NOT_OFFERED");
      // A new method starts its choices afresh; the address is kept for courier and post, also
      // when it came with an order that left the method open (the shop's address is the customer's).
      return changeDelivery(
        {
          method: command.method,
          date: null,
          window: null,
          pointId: null,
          zone: null,
          slotBooked: false,
          priceFromShop: false,
          address: needsAddress(command.method) && (delivery.method === null || needsAddress(delivery.method)) ? delivery.address : null,
        },
        releaseSlot(),
      );
    }
    case "choose_zone": {
      if (delivery.method !== "courier" || !rules.delivery.courier.zones.some((z) => z.code === command.zone)) return reject("NOT_OFFERED");
      return changeDelivery({ zone: command.zone });
    }
    case "choose_day": {
      if (delivery.method !== "courier" || !deliveryDays(now, rules.timeZone, rules.delivery.courier).includes(command.date))
        return reject("NOT_OFFERED");
      return next({ name: "choose_delivery_window", date: command.date });
    }
    case "choose_window": {
      const step = dialog.step;
      if (step.name !== "choose_delivery_window" || delivery.method !== "courier") return reject("NOT_OFFERED");
      if (!rules.delivery.courier.windows.some((w) => w.window === command.window)) return reject("NOT_OFFERED");
      if (!deliveryDays(now, rules.timeZone, rules.delivery.courier).includes(step.date)) return reject("NOT_OFFERED");
      if (!windowAhead(step.date, command.window, now, rules.timeZone)) return reject("NOT_OFFERED");
      // The caller books the place (capacity is in the database) and refuses when it is full.
      return changeDelivery({ date: step.date, window: command.window, slotBooked: true }, [
        ...releaseSlot(),
        { type: "slot_chosen", date: step.date, window: command.window },
      ]);
    }
    case "choose_point": {
      const point = rules.delivery.pickup.points.find((p) => p.id === command.pointId);
      if (delivery.method !== "pickup" || !point) return reject("NOT_OFFERED");
      return changeDelivery({ pointId: point.id, address: `${point.name}, ${point.address}` });
    }
    case "open_address":
      if (delivery.fixed) return reject("DELIVERY_FIXED");
      return next({ name: "confirm_address" });
    case "set_address": {
      if (delivery.fixed) return reject("DELIVERY_FIXED");
      const address = command.address.trim().replace(/\s+/g, " ");
      if (address.length < orderLimits.minAddressLength || address.length > orderLimits.maxAddressLength) {
        return reject("INVALID_ADDRESS");
      }
      const from = delivery.address;
      const updated = { ...delivery, address };
      return next("next_open", { delivery: updated }, from === address ? [] : [{ type: "address_changed", from, to: address }]);
    }
    case "set_comment": {
      const comment = command.comment.trim();
      if (!comment || comment.length > orderLimits.maxCommentLength) return reject("INVALID_COMMENT");
      const from = order.comment;
      return next("next_open", { comment }, from === comment ? [] : [{ type: "comment_changed", from, to: comment }], {
        done: doneWith("comment"),
      });
    }
    case "skip_comment":
      return next("next_open", {}, [], { done: doneWith("comment") });
    case "open_cancel":
      return next({ name: "choose_cancel_reason" });
    case "cancel":
      if (!rules.cancelReasons.includes(command.reason)) return reject("UNKNOWN_CANCEL_REASON");
      return next(
        { name: "finished" },
        { state: "cancelled", ...(delivery.slotBooked ? { delivery: { ...delivery, slotBooked: false } } : {}) },
        [...releaseSlot(), { type: "cancelled", reason: command.reason }],
      );
    case "request_human":
      return next(dialog.step, {}, [{ type: "human_requested", step: dialog.step.name }]);
  }
}

/** Where a dialog starts: the first open thing (a short line, the delivery) or the read-back. */
export function openingDialog(order: Order, rules: DialogRules): Dialog {
  return { ...initialDialog(), step: nextOpenStep(order, rules, []) };
}
