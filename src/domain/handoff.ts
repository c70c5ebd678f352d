import { nextContactTime, parseClockTime, type ContactHours, type Weekday } from "./contact-hours.js";
import type { ChatOwner } from "./order-dialog.js";

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

/** Where the bot picks the dialog up after a hand back. */
export type ResumeChoice = "where_stopped" | "read_back";

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
export function decideFreeText(text: string, previous: UnusableCount, mark: string, rules: { keywords: readonly string[]; limit: number }): FreeTextDecision {
  const keyword = matchedKeyword(text, rules.keywords);
  if (keyword) return { type: "escalate", reason: "keyword", keyword, counter: { count: 0, mark: null } };
  const count = previous.mark === mark ? previous.count + 1 : 1;
  if (count >= rules.limit) return { type: "escalate", reason: "unrecognised_text", counter: { count: 0, mark: null } };
  return { type: "not_understood", counter: { count, mark } };
}

/** A low score (1-2 of 5) sends the chat back to a person. */
export const isLowRating = (score: number): boolean => score <= 2;

export const ratingScores = [1, 2, 3, 4, 5] as const;
