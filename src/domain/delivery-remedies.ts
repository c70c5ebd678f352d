// Rule 10 (docs/rules-of-the-trade.md), "problems get solutions, not rules": when a delivery date moves, a promise breaks or
// a delivery attempt fails, the customer is offered concrete ways out in the chat, as the shop
// allows them (`notifications.promises.remedies`). Pure: which remedies fit the situation.

/** What the customer may choose. */
export const remedyKinds = ["new_day", "pickup", "address", "cancel", "code"] as const;
export type RemedyKind = (typeof remedyKinds)[number];

/** Why a delivery attempt failed, as the shop reports it with `delivery_failed`. */
export const deliveryFailureReasons = ["nobody_home", "wrong_address", "refused", "damaged", "other"] as const;
export type DeliveryFailureReason = (typeof deliveryFailureReasons)[number];

export type RemedySituation = { type: "moved" } | { type: "broken" } | { type: "failed"; reason: DeliveryFailureReason | null };

export interface RemedyMeans {
  /** The courier delivers (new days and windows can be offered). */
  courier: boolean;
  /** Configured pickup points, other than where the parcel already goes. */
  pickupPoints: number;
  /** A discount or free-delivery code to give (config or the shop's API). */
  code: boolean;
  /** The order already goes to a pickup point. */
  toPickup: boolean;
}

/**
 * The remedies to offer, in the shop's order: a new courier day (not for a parcel refused or
 * damaged: it is not coming), a pickup point instead, a corrected address (only when the address
 * may be why it failed), cancelling free of charge, and a code as an apology for a date the shop
 * did not keep (not for a failed attempt, where no promise was broken by the shop).
 */
export function remediesFor(situation: RemedySituation, allowed: readonly RemedyKind[], means: RemedyMeans): RemedyKind[] {
  const parcelGone = situation.type === "failed" && (situation.reason === "refused" || situation.reason === "damaged");
  const addressMayBeWrong =
    situation.type === "failed" && (situation.reason === "wrong_address" || situation.reason === "other" || situation.reason === null);
  const fits: Record<RemedyKind, boolean> = {
    new_day: means.courier && !parcelGone,
    pickup: means.pickupPoints > 0 && !means.toPickup && !parcelGone,
    address: addressMayBeWrong && !means.toPickup,
    cancel: true,
    code: means.code && situation.type !== "failed",
  };
  return allowed.filter((kind) => fits[kind]);
}
