import { isFinal, orderLimits, type Order } from "./order.js";

/**
 * The order confirmation dialog as a state machine: decide(order, dialog, command) returns the
 * new order and dialog plus the events that happened, or why the command was refused. No I/O and
 * no clock: the caller loads, decides, and saves in one transaction.
 */

/** Who speaks in the customer's chat. Automated messages check it first. */
export type ChatOwner = "bot" | "waiting_manager" | `manager:${string}`;

/** Where the customer is in the dialog; decides which buttons the read-back message carries. */
export type DialogStep =
  | { name: "read_back" }
  | { name: "edit_menu" }
  | { name: "choose_line"; purpose: "quantity" | "remove" }
  | { name: "choose_quantity"; position: number }
  | { name: "choose_cancel_reason" }
  | { name: "finished" };

export interface Dialog {
  step: DialogStep;
  /** Bumped by every accepted command; buttons carry it, so a tap on an old message is spotted. */
  version: number;
  owner: ChatOwner;
}

export type CustomerCommand =
  | { type: "confirm" }
  | { type: "open_edit_menu" }
  | { type: "back_to_read_back" }
  | { type: "choose_line"; purpose: "quantity" | "remove" }
  | { type: "choose_quantity_for"; position: number }
  | { type: "set_quantity"; position: number; quantity: number }
  | { type: "remove_line"; position: number }
  | { type: "set_address"; address: string }
  | { type: "set_comment"; comment: string }
  | { type: "open_cancel" }
  | { type: "cancel"; reason: string }
  | { type: "request_human" };

/** What happened, for the history, the shop's webhooks and the messages that follow. */
export type DialogEvent =
  | { type: "quantity_changed"; position: number; sku: string; from: number; to: number }
  | { type: "line_removed"; position: number; sku: string }
  | { type: "address_changed"; from: string | null; to: string }
  | { type: "comment_changed"; from: string | null; to: string }
  | { type: "confirmed" }
  | { type: "cancelled"; reason: string }
  | { type: "human_requested"; step: DialogStep["name"] };

export type RejectionCode =
  | "ORDER_FINAL"
  | "STALE"
  | "UNKNOWN_LINE"
  | "INVALID_QUANTITY"
  | "WOULD_EMPTY_ORDER"
  | "INVALID_ADDRESS"
  | "INVALID_COMMENT"
  | "UNKNOWN_CANCEL_REASON";

export type Decision =
  | { type: "accepted"; order: Order; dialog: Dialog; events: DialogEvent[] }
  | { type: "rejected"; code: RejectionCode };

export interface DialogRules {
  /** Reason codes the shop offers when a customer cancels. */
  cancelReasons: readonly string[];
}

export const initialDialog = (): Dialog => ({ step: { name: "read_back" }, version: 0, owner: "bot" });

const reject = (code: RejectionCode): Decision => ({ type: "rejected", code });

export function decide(
  order: Order,
  dialog: Dialog,
  command: CustomerCommand,
  rules: DialogRules,
  expectedVersion?: number,
): Decision {
  if (isFinal(order)) return reject("ORDER_FINAL");
  if (expectedVersion !== undefined && expectedVersion !== dialog.version) return reject("STALE");

  const next = (step: DialogStep, changes: Partial<Order> = {}, events: DialogEvent[] = [], owner = dialog.owner): Decision => ({
    type: "accepted",
    order: { ...order, ...changes },
    dialog: { step, version: dialog.version + 1, owner },
    events,
  });
  const readBack: DialogStep = { name: "read_back" };
  const lineAt = (position: number) => order.items.find((line) => line.position === position);

  switch (command.type) {
    case "confirm":
      return next({ name: "finished" }, { state: "confirmed" }, [{ type: "confirmed" }]);
    case "open_edit_menu":
      return next({ name: "edit_menu" });
    case "back_to_read_back":
      return next(readBack);
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
      if (command.quantity === line.quantity) return next(readBack);
      return next(
        readBack,
        { items: order.items.map((l) => (l === line ? { ...l, quantity: command.quantity } : l)) },
        [{ type: "quantity_changed", position: line.position, sku: line.sku, from: line.quantity, to: command.quantity }],
      );
    }
    case "remove_line": {
      const line = lineAt(command.position);
      if (!line) return reject("UNKNOWN_LINE");
      if (order.items.length === 1) return reject("WOULD_EMPTY_ORDER");
      return next(readBack, { items: order.items.filter((l) => l !== line) }, [
        { type: "line_removed", position: line.position, sku: line.sku },
      ]);
    }
    case "set_address": {
      const address = command.address.trim().replace(/\s+/g, " ");
      if (address.length < orderLimits.minAddressLength || address.length > orderLimits.maxAddressLength) {
        return reject("INVALID_ADDRESS");
      }
      const from = order.delivery?.address ?? null;
      const delivery = { method: null, date: null, window: null, ...order.delivery, address };
      return next(readBack, { delivery }, from === address ? [] : [{ type: "address_changed", from, to: address }]);
    }
    case "set_comment": {
      const comment = command.comment.trim();
      if (!comment || comment.length > orderLimits.maxCommentLength) return reject("INVALID_COMMENT");
      const from = order.comment;
      return next(readBack, { comment }, from === comment ? [] : [{ type: "comment_changed", from, to: comment }]);
    }
    case "open_cancel":
      return next({ name: "choose_cancel_reason" });
    case "cancel":
      if (!rules.cancelReasons.includes(command.reason)) return reject("UNKNOWN_CANCEL_REASON");
      return next({ name: "finished" }, { state: "cancelled" }, [{ type: "cancelled", reason: command.reason }]);
    case "request_human":
      return next(dialog.step, {}, [{ type: "human_requested", step: dialog.step.name }], "waiting_manager");
  }
}
