import type { AutomaticMessageKind, NotificationsConfig } from "../config/notifications-config.js";
import type { FollowUpState } from "../db/follow-up-repository.js";
import type { Tx } from "../db/transaction.js";
import { parseTimeWindow, zonedInstant } from "../domain/contact-hours.js";
import { scheduleJob } from "../scheduler/schedule-job.js";
import type { Skip } from "../shared/skip-reason.js";
import { contactHoursOf } from "./contact-time.js";
import { automaticKindOf, finalDeliveryStatuses, type DeliveryStatus, type NotificationIntent } from "./notification-intents.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/** The scheduler job kinds of the follow-ups (handlers: src/services/follow-up-jobs.ts). */
export const followUpJobs = {
  /** Reconciler: plans the follow-ups of orders no hook planned (runs every minute). */
  sweep: "follow_ups.sweep",
  /** An order was confirmed: make its delivery promise, plan the reminder, the checks. */
  confirmed: "order.confirmed",
  /** The customer has seen the read-back: plan the nudges (and the auto-cancel, when on). */
  awaiting: "order.awaiting",
  nudge: "order.nudge",
  autoCancel: "order.auto_cancel",
  deliveryReminder: "delivery.reminder",
  pickupStorage: "pickup.storage_reminder",
  quietParcel: "parcel.quiet",
  promiseCheck: "promise.check",
  /** A person gave the chat back to the bot: re-plan what was held back meanwhile (resume-follow-ups.ts). */
  backWithBot: "chat.back_with_bot",
} as const;

/**
 * The nudges of an order come in rounds: the first counts from the first read-back; each time a
 * person gives the chat back, a new round (named after the handoff) counts from then.
 */
export const nudgeJobKey = (orderId: string, n: number, round?: string): string =>
  round ? `${followUpJobs.nudge}:${orderId}:${round}:${n}` : `${followUpJobs.nudge}:${orderId}:${n}`;
export const nudgeMessageKey = (orderId: string, n: number, round?: string): string =>
  round ? `order:${orderId}:nudge:${round}:${n}` : `order:${orderId}:nudge:${n}`;
export const autoCancelJobKey = (orderId: string, round?: string): string =>
  round ? `${followUpJobs.autoCancel}:${orderId}:${round}` : `${followUpJobs.autoCancel}:${orderId}`;

/** Why an automatic action did not happen while a person had the chat (the words; the code is "with_person"). */
export const withPersonReason = (owner: string): string => `the chat is with ${owner}`;
/** A skip because a person has the chat: the hand back finds these by their code. */
export const withPersonSkip = (owner: string): Skip => ({ skipped: withPersonReason(owner), code: "with_person" });

/** Whether an automatic action of this kind may happen while `owner` has the chat (`whileManagerHasChat`). */
export function allowedBesideManager(owner: string, config: NotificationsConfig, kind: AutomaticMessageKind | null): boolean {
  return owner === "bot" || kind === null || config.whileManagerHasChat.includes(kind);
}

const hourMs = 60 * 60_000;
const dayMs = 24 * hourMs;

/**
 * Hook: call in the transaction that confirms an order (apply-customer-command, when the decision
 * has a "confirmed" event). Schedules the planning of its follow-ups (delivery promise, reminder,
 * quiet-parcel checks), which runs right after commit. Idempotent.
 */
export async function onOrderConfirmed(tx: Tx, input: { orderId: string; now: Date }): Promise<void> {
  await scheduleJob(tx, {
    kind: followUpJobs.confirmed,
    dueAt: input.now,
    dedupeKey: `${followUpJobs.confirmed}:${input.orderId}`,
    orderId: input.orderId,
    now: input.now,
  });
}

/**
 * Hook: call in the transaction that records the first read-back the customer sees (the nudges
 * count from it). Idempotent: later read-backs change nothing.
 */
export async function onReadBackSent(tx: Tx, input: { orderId: string; now: Date }): Promise<void> {
  await scheduleJob(tx, {
    kind: followUpJobs.awaiting,
    dueAt: input.now,
    dedupeKey: `${followUpJobs.awaiting}:${input.orderId}`,
    orderId: input.orderId,
    now: input.now,
  });
}

/**
 * Whether an automatic message of this kind may reach the customer now: the chat is known, the
 * customer is reachable, and the bot has the chat (or the owner allows this kind beside a manager).
 */
export function mayMessageAutomatically(
  state: Pick<FollowUpState, "chatId" | "owner" | "unreachable">,
  config: NotificationsConfig,
  intent: NotificationIntent,
): { ok: true } | ({ ok: false } & Skip) {
  if (state.chatId === null) return { ok: false, skipped: "the customer has no chat with the bot", code: "no_chat" };
  if (state.unreachable) return { ok: false, skipped: "the customer is unreachable in Telegram", code: "unreachable" };
  if (!allowedBesideManager(state.owner, config, automaticKindOf(intent))) return { ok: false, ...withPersonSkip(state.owner) };
  return { ok: true };
}

/** Whether the agreed window (or, without one, the day: closing time) is over, so a reminder of it is pointless. */
export function deliveryWindowOver(
  promise: { dueDate: string; window: string | null },
  config: NotificationsConfig,
  timeZone: string,
  now: Date,
): boolean {
  const window = parseTimeWindow(promise.window);
  return zonedInstant(promise.dueDate, window ? window.end : contactHoursOf(config).closeMinute, timeZone).getTime() <= now.getTime();
}

/**
 * A quiet-parcel check for each configured day count, counted from now (the last status change,
 * or the confirmation). Each check skips itself when the status changed in between.
 */
export async function planQuietParcelChecks(
  tx: Tx,
  deps: Pick<ServiceDependencies, "config">,
  input: { orderId: string; statusSeq: number; status: DeliveryStatus | null; now: Date },
): Promise<void> {
  if (input.status && finalDeliveryStatuses.includes(input.status)) return;
  for (const days of deps.config().notifications.quietParcelDays) {
    await scheduleJob(tx, {
      kind: followUpJobs.quietParcel,
      dueAt: new Date(input.now.getTime() + days * dayMs),
      dedupeKey: `${followUpJobs.quietParcel}:${input.orderId}:${input.statusSeq}:${days}`,
      orderId: input.orderId,
      payload: { seq: input.statusSeq, days },
      now: input.now,
    });
  }
}

/** Keeps the reconciler going: one sweep job per minute slot, never a backlog of them. */
export async function scheduleNextSweep(tx: Tx, now: Date, intervalMs = 60_000): Promise<void> {
  const slot = Math.floor(now.getTime() / intervalMs) + 1;
  await scheduleJob(tx, { kind: followUpJobs.sweep, dueAt: new Date(slot * intervalMs), dedupeKey: `${followUpJobs.sweep}:${slot}`, now });
}

/** At start-up: a sweep due now, which keeps scheduling the next one. Idempotent per minute. */
export async function startFollowUpSweeps(tx: Tx, now: Date): Promise<void> {
  await scheduleNextSweep(tx, new Date(now.getTime() - 60_000));
}
