import { describe, expect, it } from "vitest";
import { decide, initialDialog, type Decision } from "../../src/domain/order-dialog.js";
import { itemsTotal, orderTotal } from "../../src/domain/order.js";
import { decisionContext } from "../support/dialog-rules.js";
import { anOrder } from "../support/order-builder.js";

const rules = decisionContext({ cancelReasons: ["changed_mind", "other"] });
const accepted = (decision: Decision) => {
  if (decision.type !== "accepted") throw new Error(`expected accepted, got ${decision.code}`);
  return decision;
};

describe("the order confirmation dialog", () => {
  it("confirms the order and finishes the dialog", () => {
    const result = accepted(decide(anOrder(), initialDialog(), { type: "confirm" }, rules));
    expect(result.order.state).toBe("confirmed");
    expect(result.dialog).toEqual({ step: { name: "finished" }, version: 1, resolutions: [], done: [] });
    expect(result.events).toEqual([{ type: "confirmed" }]);
  });

  it("changes a quantity, and the total follows", () => {
    const result = accepted(decide(anOrder(), initialDialog(), { type: "set_quantity", position: 0, quantity: 3 }, rules));
    expect(result.order.items[0]!.quantity).toBe(3);
    expect(itemsTotal(result.order)).toBe(3n * 450n + 1290n);
    expect(orderTotal(result.order)).toBe(3n * 450n + 1290n + 490n);
    expect(result.events).toEqual([{ type: "quantity_changed", position: 0, sku: "TEA-1", from: 2, to: 3 }]);
    expect(result.dialog.step).toEqual({ name: "read_back" });
  });

  it("refuses zero, negative, fractional and absurd quantities", () => {
    for (const quantity of [0, -1, 1.5, 10_000, Number.NaN]) {
      expect(decide(anOrder(), initialDialog(), { type: "set_quantity", position: 0, quantity }, rules)).toEqual({
        type: "rejected",
        code: "INVALID_QUANTITY",
      });
    }
  });

  it("removes a line but never the last one (that is a cancellation)", () => {
    const result = accepted(decide(anOrder(), initialDialog(), { type: "remove_line", position: 1 }, rules));
    expect(result.order.items.map((l) => l.sku)).toEqual(["TEA-1"]);
    expect(decide(result.order, result.dialog, { type: "remove_line", position: 0 }, rules)).toEqual({
      type: "rejected",
      code: "WOULD_EMPTY_ORDER",
    });
  });

  it("refuses a line that is not in the order", () => {
    expect(decide(anOrder(), initialDialog(), { type: "remove_line", position: 7 }, rules).type).toBe("rejected");
    expect(decide(anOrder(), initialDialog(), { type: "choose_quantity_for", position: 7 }, rules)).toEqual({
      type: "rejected",
      code: "UNKNOWN_LINE",
    });
  });

  it("keeps a typed address tidy and refuses one too short to deliver to", () => {
    const result = accepted(decide(anOrder(), initialDialog(), { type: "set_address", address: "  Ring  5,\n Köln " }, rules));
    expect(result.order.delivery).toEqual({
      method: "courier",
      address: "Ring 5, Köln",
      date: "2026-11-25",
      window: "10:00-14:00",
      priceMinor: 490n,
    });
    expect(result.events).toEqual([{ type: "address_changed", from: "Hauptstr. 1, Berlin", to: "Ring 5, Köln" }]);
    expect(decide(anOrder(), initialDialog(), { type: "set_address", address: "x" }, rules)).toEqual({
      type: "rejected",
      code: "INVALID_ADDRESS",
    });
  });

  it("keeps the address the shop sent with an open method when the customer picks courier or post", () => {
    const shopSent = anOrder({ delivery: { method: null, address: "Ring 5, Köln", date: null, window: null, priceMinor: null } });
    for (const method of ["courier", "post"] as const) {
      const result = accepted(decide(shopSent, initialDialog(), { type: "choose_method", method }, rules));
      expect(result.order.delivery).toMatchObject({ method, address: "Ring 5, Köln" });
    }
    const pickup = accepted(decide(shopSent, initialDialog(), { type: "choose_method", method: "pickup" }, rules));
    expect(pickup.order.delivery?.address ?? null).toBeNull();
  });

  it("gives an order without delivery an address", () => {
    const result = accepted(decide(anOrder({ delivery: null }), initialDialog(), { type: "set_address", address: "Ring 5, Köln" }, rules));
    expect(result.order.delivery).toMatchObject({ method: null, address: "Ring 5, Köln", date: null, window: null });
  });

  it("records a comment", () => {
    const result = accepted(decide(anOrder(), initialDialog(), { type: "set_comment", comment: "Ring twice" }, rules));
    expect(result.order.comment).toBe("Ring twice");
    expect(decide(anOrder(), initialDialog(), { type: "set_comment", comment: "   " }, rules).type).toBe("rejected");
  });

  it("cancels only with one of the shop's reasons", () => {
    const result = accepted(decide(anOrder(), initialDialog(), { type: "cancel", reason: "changed_mind" }, rules));
    expect(result.order.state).toBe("cancelled");
    expect(result.events).toEqual([{ type: "cancelled", reason: "changed_mind" }]);
    expect(decide(anOrder(), initialDialog(), { type: "cancel", reason: "hacked" }, rules)).toEqual({
      type: "rejected",
      code: "UNKNOWN_CANCEL_REASON",
    });
  });

  it("treats confirmed and cancelled orders as final", () => {
    for (const state of ["confirmed", "cancelled"] as const) {
      expect(decide(anOrder({ state }), initialDialog(), { type: "set_quantity", position: 0, quantity: 1 }, rules)).toEqual({
        type: "rejected",
        code: "ORDER_FINAL",
      });
    }
  });

  it("ignores a button from an older version of the message", () => {
    const first = accepted(decide(anOrder(), initialDialog(), { type: "open_edit_menu" }, rules, 0));
    expect(decide(first.order, first.dialog, { type: "confirm" }, rules, 0)).toEqual({ type: "rejected", code: "STALE" });
    expect(accepted(decide(first.order, first.dialog, { type: "confirm" }, rules, 1)).order.state).toBe("confirmed");
  });

  it("hands the chat to a person where the customer is, without leaving the step", () => {
    const menu = accepted(decide(anOrder(), initialDialog(), { type: "open_edit_menu" }, rules));
    const result = accepted(decide(menu.order, menu.dialog, { type: "request_human" }, rules));
    expect(result.dialog).toEqual({ step: { name: "edit_menu" }, version: 2, resolutions: [], done: [] });
    expect(result.events).toEqual([{ type: "human_requested", step: "edit_menu" }]);
  });

  it("walks through the menus without touching the order", () => {
    let state = { order: anOrder(), dialog: initialDialog() };
    for (const command of [
      { type: "open_edit_menu" },
      { type: "choose_line", purpose: "quantity" },
      { type: "choose_quantity_for", position: 1 },
      { type: "back_to_read_back" },
      { type: "open_cancel" },
    ] as const) {
      const result = accepted(decide(state.order, state.dialog, command, rules));
      expect(result.order).toEqual(state.order);
      expect(result.events).toEqual([]);
      state = result;
    }
    expect(state.dialog).toEqual({ step: { name: "choose_cancel_reason" }, version: 5, resolutions: [], done: [] });
  });
});
