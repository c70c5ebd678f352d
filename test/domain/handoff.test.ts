import { describe, expect, it } from "vitest";
import {
  answerPromise,
  chatOwnerFor,
  customerHearsOfHandoff,
  decideDeliverySlot,
  decideFreeText,
  matchedKeyword,
  repingDueAt,
  resumeChoices,
  workingContactHours,
} from "../../src/domain/handoff.js";
import { initialDialog } from "../../src/domain/order-dialog.js";
import { parseCardCallback, packCardCallback } from "../../src/flows/handoff/handoff-callback.js";
import { decisionContext, exampleRules } from "../support/dialog-rules.js";
import { anOrder } from "../support/order-builder.js";

const berlin = "Europe/Berlin";
const weekdays = workingContactHours({ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "18:00" });

describe("the handoff's decisions", () => {
  it("should name who speaks in the chat for each state", () => {
    expect(chatOwnerFor("waiting", null)).toBe("waiting_manager");
    expect(chatOwnerFor("taken", 42n)).toBe("manager:42");
    expect(chatOwnerFor("ended", 42n)).toBe("bot");
  });

  it("should tell the customer of a handoff unless Telegram cannot reach them or a manager opened it", () => {
    expect(customerHearsOfHandoff("customer_request")).toBe(true);
    expect(customerHearsOfHandoff("low_rating")).toBe(true);
    expect(customerHearsOfHandoff("broken_promise")).toBe(true);
    expect(customerHearsOfHandoff("unreachable")).toBe(false);
    expect(customerHearsOfHandoff("manager_initiated")).toBe(false);
  });

  it("should promise an answer soon within working hours and at the next opening outside them", () => {
    expect(answerPromise(new Date("2026-11-23T10:00:00Z"), weekdays, berlin)).toEqual({ type: "soon" });
    // Friday 19:00 in Berlin: back on Monday at 09:00 (08:00 UTC).
    expect(answerPromise(new Date("2026-11-27T18:00:00Z"), weekdays, berlin)).toEqual({
      type: "when_open",
      opensAt: new Date("2026-11-30T08:00:00Z"),
    });
    expect(answerPromise(new Date("2026-11-27T18:00:00Z"), null, berlin)).toEqual({ type: "soon" });
  });

  it("should count the minutes before a re-ping in working time", () => {
    expect(repingDueAt(new Date("2026-11-23T10:00:00Z"), 10, weekdays, berlin)).toEqual(new Date("2026-11-23T10:10:00Z"));
    expect(repingDueAt(new Date("2026-11-28T10:00:00Z"), 10, weekdays, berlin)).toEqual(new Date("2026-11-30T08:10:00Z"));
  });

  it("should find the owner's keywords as whole words in any case", () => {
    expect(matchedKeyword("I have a COMPLAINT!", ["complaint"])).toBe("complaint");
    expect(matchedKeyword("Это жалоба на доставку", ["complaint", "жалоба"])).toBe("жалоба");
    expect(matchedKeyword("complaints department", ["complaint"])).toBeNull();
  });

  it("should send a person the second unusable text in a row, but not when the dialog moved in between", () => {
    const rules = { keywords: ["complaint"], limit: 2 };
    const first = decideFreeText("hello?", { count: 0, mark: null }, "o1:3", rules);
    expect(first).toEqual({ type: "not_understood", counter: { count: 1, mark: "o1:3" } });
    expect(decideFreeText("anyone?", first.counter, "o1:3", rules)).toMatchObject({ type: "escalate", reason: "unrecognised_text" });
    expect(decideFreeText("anyone?", first.counter, "o1:4", rules)).toEqual({
      type: "not_understood",
      counter: { count: 1, mark: "o1:4" },
    });
    expect(decideFreeText("a complaint", { count: 0, mark: null }, "o1:3", rules)).toMatchObject({
      type: "escalate",
      reason: "keyword",
      keyword: "complaint",
    });
  });
});

describe("what a manager can do with the order from the card", () => {
  const rules = exampleRules();
  const courier = { method: "courier", address: "Hauptstr. 1, Berlin", date: "2026-11-25", window: "10:00-14:00", priceMinor: 0n };

  it("should offer a hand back at the read-back, the delivery and the address only where they make sense", () => {
    expect(resumeChoices(anOrder({ delivery: courier }), rules)).toEqual(["where_stopped", "read_back", "delivery", "address"]);
    // Pickup has no address to ask for; a delivery the shop fixed is not reopened.
    expect(resumeChoices(anOrder({ delivery: { method: "pickup", address: null, date: null, window: null } }), rules)).toEqual([
      "where_stopped",
      "read_back",
      "delivery",
    ]);
    expect(resumeChoices(anOrder({ delivery: { ...courier, fixed: true } }), rules)).toEqual(["where_stopped", "read_back"]);
    expect(resumeChoices(anOrder({ state: "confirmed" }), rules)).toEqual(["where_stopped"]);
  });

  it("should set a courier day and window by the customer's rules, as one change of the dialog", () => {
    // Monday 23 November, 10:00 in Berlin: Tuesday is on offer.
    const context = decisionContext();
    const dialog = { ...initialDialog(), version: 4, owner: "manager:7" as const };
    const decision = decideDeliverySlot(
      anOrder({ delivery: { ...courier, slotBooked: true } }),
      dialog,
      { date: "2026-11-24", window: "14:00-18:00" },
      context,
    );
    expect(decision.type).toBe("accepted");
    if (decision.type !== "accepted") return;
    expect(decision.order.delivery).toMatchObject({
      method: "courier",
      date: "2026-11-24",
      window: "14:00-18:00",
      slotBooked: true,
      address: "Hauptstr. 1, Berlin",
    });
    expect(decision.dialog).toMatchObject({ version: 5, owner: "manager:7", step: { name: "read_back" } });
    expect(decision.events.map((event) => event.type)).toEqual(["slot_released", "slot_chosen", "delivery_changed"]);
  });

  it("should switch a pickup order to the courier when the manager picks a courier slot", () => {
    const decision = decideDeliverySlot(
      anOrder({
        delivery: {
          method: "pickup",
          address: "Demo Shop, Main Street, Hauptstr. 10, 10115 Berlin",
          date: null,
          window: null,
          pointId: "main",
        },
      }),
      initialDialog(),
      { date: "2026-11-24", window: "10:00-14:00" },
      decisionContext(),
    );
    expect(decision).toMatchObject({
      type: "accepted",
      order: { delivery: { method: "courier", date: "2026-11-24", window: "10:00-14:00", address: null } },
    });
    // The courier needs an address the pickup order did not have: the dialog asks for it next.
    if (decision.type === "accepted") expect(decision.dialog.step).toEqual({ name: "confirm_address" });
  });

  it("should refuse a day not on offer, a delivery the shop fixed and a settled order", () => {
    const context = decisionContext();
    const slot = { date: "2026-11-24", window: "14:00-18:00" };
    // Sunday is a day off; a window the shop does not have is not offered either.
    expect(
      decideDeliverySlot(anOrder({ delivery: courier }), initialDialog(), { date: "2026-11-29", window: "14:00-18:00" }, context),
    ).toEqual({ type: "rejected", code: "NOT_OFFERED" });
    expect(
      decideDeliverySlot(anOrder({ delivery: courier }), initialDialog(), { date: "2026-11-24", window: "07:00-08:00" }, context),
    ).toEqual({ type: "rejected", code: "NOT_OFFERED" });
    expect(decideDeliverySlot(anOrder({ delivery: { ...courier, fixed: true } }), initialDialog(), slot, context)).toEqual({
      type: "rejected",
      code: "DELIVERY_FIXED",
    });
    expect(decideDeliverySlot(anOrder({ state: "cancelled" }), initialDialog(), slot, context)).toEqual({
      type: "rejected",
      code: "ORDER_FINAL",
    });
  });

  it("should read back exactly the card buttons it packed, and nothing else", () => {
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect(parseCardCallback(packCardCallback(id, "handBackDelivery"))).toEqual({ handoffId: id, action: "handBackDelivery" });
    expect(parseCardCallback(packCardCallback(id, "deliveryDay", "2026-12-03"))).toEqual({
      handoffId: id,
      action: "deliveryDay",
      date: "2026-12-03",
    });
    const window = packCardCallback(id, "deliveryWindow", "2026-12-03", 2);
    expect(Buffer.byteLength(window)).toBeLessThanOrEqual(64);
    expect(parseCardCallback(window)).toEqual({ handoffId: id, action: "deliveryWindow", date: "2026-12-03", windowIndex: 2 });
    expect(parseCardCallback(`og:m:${id}:t:extra`)).toBeNull();
    expect(parseCardCallback(`og:m:${id}:dd`)).toBeNull();
    expect(parseCardCallback(`og:m:${id}:dw:2026-12-03:1`)).toBeNull();
  });
});
