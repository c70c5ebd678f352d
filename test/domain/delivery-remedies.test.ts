import { describe, expect, it } from "vitest";
import { remediesFor, remedyKinds, type RemedyMeans } from "../../src/domain/delivery-remedies.js";

const all = remedyKinds;
const means: RemedyMeans = { courier: true, pickupPoints: 2, code: true, toPickup: false };

describe("remediesFor", () => {
  it("offers a new day, a pickup point, cancelling and a code for a moved or broken date", () => {
    expect(remediesFor({ type: "moved" }, all, means)).toEqual(["new_day", "pickup", "cancel", "code"]);
    expect(remediesFor({ type: "broken" }, all, { ...means, code: false })).toEqual(["new_day", "pickup", "cancel"]);
  });

  it("offers a corrected address only when the address may be why the attempt failed", () => {
    expect(remediesFor({ type: "failed", reason: "wrong_address" }, all, means)).toEqual(["new_day", "pickup", "address", "cancel"]);
    expect(remediesFor({ type: "failed", reason: "nobody_home" }, all, means)).toEqual(["new_day", "pickup", "cancel"]);
  });

  it("offers no new delivery of a parcel refused or damaged", () => {
    expect(remediesFor({ type: "failed", reason: "damaged" }, all, means)).toEqual(["cancel"]);
    expect(remediesFor({ type: "failed", reason: "refused" }, all, means)).toEqual(["cancel"]);
  });

  it("keeps the shop's order and leaves out what the shop does not allow or have", () => {
    expect(remediesFor({ type: "moved" }, ["cancel", "pickup"], means)).toEqual(["cancel", "pickup"]);
    expect(remediesFor({ type: "moved" }, all, { courier: false, pickupPoints: 0, code: false, toPickup: false })).toEqual(["cancel"]);
    expect(remediesFor({ type: "failed", reason: null }, all, { ...means, toPickup: true })).toEqual(["new_day", "cancel"]);
  });
});
