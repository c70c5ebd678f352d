import { afterContactMinutes, nextContactTime, type ContactHours } from "./contact-hours.js";

/**
 * When the shop hears that a customer has not opened the chat yet (rule 1: a new order is
 * confirmed within the hour, and a bot cannot write to a phone number). The shop's system is
 * expected to send the start link by SMS or e-mail on each notice, so each falls within contact
 * hours; the first after `notifyShopAfterMinutes` of them, the second halfway to giving up.
 * Giving up marks the order for a person, also within contact hours.
 */
export interface ReachPlan {
  /** The order.unreached notices, in order (one when the second would not come before the first). */
  notices: Date[];
  giveUpAt: Date;
}

export function reachPlan(
  createdAt: Date,
  settings: { notifyShopAfterMinutes: number; giveUpAfterHours: number },
  hours: ContactHours,
  timeZone: string,
): ReachPlan {
  const atOpening = (instant: Date) => nextContactTime(instant, hours, timeZone) ?? instant;
  const first = afterContactMinutes(createdAt, settings.notifyShopAfterMinutes, hours, timeZone) ?? createdAt;
  const hourMs = 3_600_000;
  const giveUpAt = atOpening(new Date(createdAt.getTime() + settings.giveUpAfterHours * hourMs));
  const second = atOpening(new Date(createdAt.getTime() + (settings.giveUpAfterHours * hourMs) / 2));
  const notices = second.getTime() > first.getTime() && second.getTime() < giveUpAt.getTime() ? [first, second] : [first];
  // A night that pushes the first notice past the give-up time: give up no earlier than it.
  return { notices, giveUpAt: giveUpAt.getTime() > first.getTime() ? giveUpAt : first };
}
