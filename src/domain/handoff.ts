import { nextContactTime, parseClockTime, type ContactHours, type Weekday } from "./contact-hours.js";
import { enabledMethods } from "./delivery-options.js";
import {
  decide,
  type ChatOwner,
  type CustomerCommand,
  type Decision,
  type DecisionContext,
  type Dialog,
  type DialogEvent,
} from "./order-dialog.js";
import { isFinal, type Order } from "./order.js";

/**
 * A customer's chat handed to a person and back. Plain data and pure decisions; the services
 * load, decide and save, and the database's guarded updates settle races between instances.
 *
 *   waiting ──Take──▶ taken ──Hand back / Close──▶ ended
 *      └───────────────Close──────────────────────▶ ended
 */
export type HandoffState = "waiting" | "taken" | "ended";

/** Why a chat goes to a person. */
export type EscalationReason =
  | "customer_request"
  | "no_answer_to_nudges"
  | "unrecognised_text"
  | "keyword"
  | "low_rating"
  | "unreachable"
  | "flow_failure"
  | "broken_promise"
  | "manager_initiated";

/**
 * Reasons the bot hands a chat over on its own (a timer, a broken promise), not in answer to what
 * the customer just did: what it tells the customer then is an automatic message, which waits for
 * contact hours and comes after what is already queued for the chat (the apology it explains).
 */
export const isBotInitiated = (reason: EscalationReason): boolean => reason === "no_answer_to_nudges" || reason === "broken_promise";

/**
 * Whether the customer hears that their chat went to a person: not when Telegram cannot reach
 * them, nor when a manager opened it (they speak for themselves). What the bot says when it ends
 * follows: a customer never told of a handoff nobody took is not told it was closed either.
 */
export const customerHearsOfHandoff = (reason: EscalationReason): boolean => reason !== "unreachable" && reason !== "manager_initiated";

/**
 * Where the bot picks the dialog up after a hand back: where it stopped, or a step the manager
 * picks from the card (the read-back, the delivery choice, the address).
 */
export type ResumeChoice = "where_stopped" | "read_back" | "delivery" | "address";

/**
 * The hand-back steps that make sense for an open order: the delivery only when the shop did not
 * fix it and offers a method, the address only for a delivery that goes to one.
 */
export function resumeChoices(order: Order, rules: DecisionContext["rules"]): ResumeChoice[] {
  if (isFinal(order)) return ["where_stopped"];
  const delivery = order.delivery;
  const changeable = !delivery?.fixed;
  return [
    "where_stopped",
    "read_back",
    ...(changeable && enabledMethods(rules.delivery).length ? (["delivery"] as const) : []),
    ...(changeable && (delivery?.method === "courier" || delivery?.method === "post") ? (["address"] as const) : []),
  ];
}

/**
 * The customer's own command that opens a picked step, so the dialog's rules apply as to a tap
 * (a fixed delivery stays fixed). The read-back is shown as it is; "where it stopped" changes nothing.
 */
export const resumeCommands: Record<"delivery" | "address", CustomerCommand> = {
  delivery: { type: "open_delivery" },
  address: { type: "open_address" },
};

/**
 * A manager sets the courier day and window from the card. The same commands a customer's taps
 * send (courier, then the day, then the window), decided one after the other, so the same rules
 * hold: only days and windows on offer, a delivery the shop fixed is not changed, a settled order
 * stays settled. One accepted change (the version moves by one); the caller books the place.
 */
export function decideDeliverySlot(
  order: Order,
  dialog: Dialog,
  slot: { date: string; window: string },
  context: DecisionContext,
): Decision {
  if (isFinal(order)) return { type: "rejected", code: "ORDER_FINAL" };
  if (order.delivery?.fixed) return { type: "rejected", code: "DELIVERY_FIXED" };
  const commands: CustomerCommand[] = [
    ...(order.delivery?.method === "courier" ? [] : [{ type: "choose_method", method: "courier" } as const]),
    { type: "choose_day", date: slot.date },
    { type: "choose_window", window: slot.window },
  ];
  let current = { order, dialog };
  const events: DialogEvent[] = [];
  for (const command of commands) {
    const decision = decide(current.order, current.dialog, command, context);
    if (decision.type === "rejected") return decision;
    current = { order: decision.order, dialog: decision.dialog };
    events.push(...decision.events);
  }
  // One change of the delivery for the history and the shop: the last one says where it ended up.
  const lastChange = events.findLast((event) => event.type === "delivery_changed");
  return {
    type: "accepted",
    order: current.order,
    dialog: { ...current.dialog, version: dialog.version + 1 },
    events: events.filter((event) => event.type !== "delivery_changed" || event === lastChange),
  };
}

/** Who speaks in the chat while a handoff is in this state. */
export function chatOwnerFor(state: HandoffState, managerId: bigint | null): ChatOwner {
  if (state === "waiting") return "waiting_manager";
  if (state === "taken" && managerId !== null) return `manager:${managerId}`;
  return "bot";
}

export interface WorkingHours {
  days: readonly Weekday[];
  from: string;
  to: string;
}

/** The owner's "09:00"-"18:00" as contact hours; null hours mean managers are always there. */
export function workingContactHours(hours: WorkingHours | null): ContactHours | null {
  if (!hours) return null;
  return { days: hours.days, openMinute: parseClockTime(hours.from) ?? 0, closeMinute: parseClockTime(hours.to) ?? 1440 };
}

/** What the customer is told about when a person will answer. */
export type AnswerPromise = { type: "soon" } | { type: "when_open"; opensAt: Date };

export function answerPromise(now: Date, hours: ContactHours | null, timeZone: string): AnswerPromise {
  if (!hours) return { type: "soon" };
  const opensAt = nextContactTime(now, hours, timeZone);
  if (!opensAt || opensAt.getTime() === now.getTime()) return { type: "soon" };
  return { type: "when_open", opensAt };
}

/**
 * When nobody-took-it is checked: `afterMinutes` of working time after `from` (counted from the
 * next opening when the escalation came in outside working hours: nobody is pinged at night).
 */
export function repingDueAt(from: Date, afterMinutes: number, hours: ContactHours | null, timeZone: string): Date {
  const start = hours ? (nextContactTime(from, hours, timeZone) ?? from) : from;
  return new Date(start.getTime() + afterMinutes * 60_000);
}

/** The owner's keyword the text contains, if any (whole words, case-insensitive). */
export function matchedKeyword(text: string, keywords: readonly string[]): string | null {
  const lower = text.toLocaleLowerCase();
  for (const keyword of keywords) {
    const word = keyword.toLocaleLowerCase();
    let at = lower.indexOf(word);
    while (at >= 0) {
      const before = at === 0 ? "" : lower[at - 1]!;
      const after = lower[at + word.length] ?? "";
      if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return keyword;
      at = lower.indexOf(word, at + 1);
    }
  }
  return null;
}

export interface UnusableCount {
  count: number;
  /** The state of the dialog when the texts were counted; another state breaks the row. */
  mark: string | null;
}

export type FreeTextDecision =
  | { type: "escalate"; reason: "keyword"; keyword: string; counter: UnusableCount }
  | { type: "escalate"; reason: "unrecognised_text"; counter: UnusableCount }
  | { type: "not_understood"; counter: UnusableCount };

/**
 * A free text that no flow could use: a keyword goes to a person at once; otherwise the chat
 * goes to a person when this is the `limit`-th such text in a row (the dialog unchanged since
 * the first), and the bot says it did not understand until then.
 */
export function decideFreeText(
  text: string,
  previous: UnusableCount,
  mark: string,
  rules: { keywords: readonly string[]; limit: number },
): FreeTextDecision {
  const keyword = matchedKeyword(text, rules.keywords);
  if (keyword) return { type: "escalate", reason: "keyword", keyword, counter: { count: 0, mark: null } };
  const count = previous.mark === mark ? previous.count + 1 : 1;
  if (count >= rules.limit) return { type: "escalate", reason: "unrecognised_text", counter: { count: 0, mark: null } };
  return { type: "not_understood", counter: { count, mark } };
}

/** A low score (1-2 of 5) sends the chat back to a person. */
export const isLowRating = (score: number): boolean => score <= 2;
