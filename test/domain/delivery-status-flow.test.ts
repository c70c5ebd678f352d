import { describe, expect, it } from "vitest";
import { decideDeliveryStatus, nextDeliveryStatuses, type DeliveryStatus } from "../../src/domain/delivery-status-flow.js";

const decide = (
  from: DeliveryStatus | null,
  to: DeliveryStatus,
  options: { correction?: boolean; told?: DeliveryStatus[]; orderState?: string } = {},
) =>
  decideDeliveryStatus({
    orderState: options.orderState ?? "confirmed",
    from,
    to,
    correction: options.correction ?? false,
    told: options.told ?? (from ? [from] : []),
  });

describe("decideDeliveryStatus", () => {
  it.each([
    ["the first status, whichever it is", null, "delivered"],
    ["a step forward", "packed", "shipped"],
    ["a skipped step", "accepted", "out_for_delivery"],
    ["a hub after the sorting centre", "at_sorting_center", "in_transit"],
    ["another attempt after a failed one", "delivery_failed", "out_for_delivery"],
    ["the depot after a failed attempt", "delivery_failed", "in_transit"],
    ["a pickup point after a failed attempt", "delivery_failed", "ready_for_pickup"],
    ["going back to the shop after a failed attempt", "delivery_failed", "returned_to_sender"],
  ] as const)("should record %s", (_label, from, to) => {
    expect(decide(from, to).type).toBe("changed");
  });

  it.each([
    ["a step back", "shipped", "accepted"],
    ["anything after delivered", "delivered", "shipped"],
    ["a hub after out for delivery", "out_for_delivery", "in_transit"],
    ["delivered after returned to sender", "returned_to_sender", "delivered"],
  ] as const)("should refuse %s, saying where the parcel may go", (_label, from, to) => {
    expect(decide(from, to)).toEqual({ type: "refused", from, to, allowed: nextDeliveryStatuses(from) });
  });

  it("should say where a parcel may go from each status, and nowhere from a final one", () => {
    expect(nextDeliveryStatuses("shipped")).toEqual([
      "in_transit",
      "at_sorting_center",
      "out_for_delivery",
      "ready_for_pickup",
      "delivered",
      "delivery_failed",
      "returned_to_sender",
    ]);
    expect(nextDeliveryStatuses("delivered")).toEqual([]);
  });

  it("should record a step back that the shop marks as a correction, without telling a stage the customer heard before", () => {
    expect(decide("delivered", "shipped", { correction: true, told: ["accepted", "shipped", "delivered"] })).toEqual({
      type: "changed",
      tell: false,
    });
    expect(decide("delivered", "shipped", { correction: true, told: ["accepted", "delivered"] })).toEqual({ type: "changed", tell: true });
  });

  it("should never tell the end twice: delivered, corrected back, delivered again", () => {
    expect(decide("shipped", "delivered", { told: ["shipped", "delivered"] })).toEqual({ type: "changed", tell: false });
  });

  it("should tell a stage of the normal way each time it happens: a second delivery attempt, hub to hub", () => {
    expect(decide("delivery_failed", "out_for_delivery", { told: ["shipped", "out_for_delivery", "delivery_failed"] })).toEqual({
      type: "changed",
      tell: true,
    });
    expect(decide("at_sorting_center", "in_transit", { told: ["in_transit", "at_sorting_center"] })).toEqual({
      type: "changed",
      tell: true,
    });
  });

  it("should refuse every status for an order the customer has not confirmed, even as a correction", () => {
    expect(decide(null, "shipped", { orderState: "awaiting_customer" })).toEqual({ type: "not_confirmed" });
    expect(decide(null, "accepted", { orderState: "awaiting_customer", correction: true })).toEqual({ type: "not_confirmed" });
  });

  it("should call the current status again unchanged, correction or not", () => {
    expect(decide("shipped", "shipped").type).toBe("unchanged");
    expect(decide("shipped", "shipped", { correction: true }).type).toBe("unchanged");
  });
});
