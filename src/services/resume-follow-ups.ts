import { z } from "zod";
import { findFollowUpState, firstReadBackAt, type FollowUpState } from "../db/follow-up-repository.js";
import type { Tx } from "../db/transaction.js";
import { telegramPayloadOf } from "../outbox/outbox-message.js";
import { cancelJobs, scheduleJob, type JobPayload } from "../scheduler/schedule-job.js";
import { enqueueAutomaticMessage } from "./contact-time.js";
import { openPromiseOf } from "./delivery-promises.js";
import { parseNotificationIntent, type NotificationIntent } from "./notification-intents.js";
import { autoCancelJobKey, deliveryWindowOver, followUpJobs, mayMessageAutomatically, nudgeJobKey } from "./schedule-order-follow-ups.js";
import type { ServiceDependencies } from "./service-dependencies.js";

// While a person has a customer's chat, automatic messages the owner did not allow beside a
// manager (`notifications.whileManagerHasChat`) do not go out: their jobs and outbox rows are
// skipped with the code "with_person" (src/shared/skip-reason.ts). When the chat is the bot's again, nothing of
// that may be lost for good, so the hand back (or close) plans, per order of the chat:
// - an unconfirmed order: its nudges (and the auto-cancel, when on) count again from now, in a
//   new round (the customer has just been shown the order again, or the person dealt with them);
// - the parcel's current status, when its message never reached the customer (held, or skipped
//   at send time): it goes out now; for "delivered" that is the thanks and the rating. Older
//   statuses are not repeated: the current one says where the parcel is, unless it was told
//   before (delivered, a correction back to shipped, delivered again);
// - reminders (delivery, pickup storage) and quiet-parcel news held back meanwhile: run again
//   now, each re-checking that it still applies (a reminder of a window that is over is dropped).
// All of it runs in a job right after the hand back commits, so it comes after the hand back's
// own messages ("I am back", the resumed dialog) and within contact hours.

const payloadSchema = z.object({ chatId: z.string(), handoffId: z.string(), since: z.iso.datetime() });

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

/** Jobs re-run after a hand back when a person's time made them skip. */
const heldJobKinds = [followUpJobs.deliveryReminder, followUpJobs.pickupStorage, followUpJobs.quietParcel];
/** Outbox intents re-queued after a hand back when they were skipped at send time for the person. */
const heldIntentKinds = new Set<string>([
  "notify.delivery_reminder",
  "notify.pickup_storage",
  "notify.quiet_parcel",
  "notify.promise_moved",
]);

/**
 * Moves of the delivery date held back meanwhile are told as one, from the date the customer
 * last heard to the date promised now (5 → 7 → 9 is "moves from the 5th to the 9th"); none when
 * the promise has moved on since (broken, kept: that message has been or will be sent).
 */
async function mergeMoves(
  tx: Tx,
  orderId: string,
  owed: Array<{ family: string; intent: NotificationIntent }>,
): Promise<Array<{ family: string; intent: NotificationIntent }>> {
  const moves = owed.flatMap((entry) =>
    entry.intent.kind === "notify.promise_moved" ? [{ family: entry.family, intent: entry.intent }] : [],
  );
  const others = owed.filter((entry) => entry.intent.kind !== "notify.promise_moved");
  const first = moves[0];
  const last = moves.at(-1);
  if (!first || !last) return others;
  const open = await openPromiseOf(tx, orderId);
  if (open?.dueDate !== last.intent.to) return others;
  return [...others, { family: last.family, intent: { ...last.intent, from: first.intent.from } }];
}

/**
 * Listens to the chat coming back to the bot (src/services/handoff/hand-back-listeners.ts), in
 * the transaction that ends the handoff. Idempotent (one job per handoff).
 */
export async function onChatBackWithBot(tx: Tx, input: { chatId: bigint; handoffId: string; since: Date; now: Date }): Promise<void> {
  await scheduleJob(tx, {
    kind: followUpJobs.backWithBot,
    dueAt: input.now,
    dedupeKey: `${followUpJobs.backWithBot}:${input.handoffId}`,
    payload: { chatId: input.chatId.toString(), handoffId: input.handoffId, since: input.since.toISOString() },
    now: input.now,
  });
}

/**
 * The job's work, in its transaction: re-plans what the person's time held back for every order
 * of the chat that the bot has again. Returns whether a message was queued.
 */
export async function resumeFollowUps(tx: Tx, deps: Pick<ServiceDependencies, "config">, payload: unknown, now: Date): Promise<boolean> {
  const { chatId, handoffId, since } = payloadSchema.parse(payload);
  const orders = await tx.order.findMany({
    where: { chatId: BigInt(chatId), state: { not: "cancelled" } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  let queued = false;
  for (const { id } of orders) {
    const state = await findFollowUpState(tx, id);
    // Another person has the chat already: that handoff's end resumes.
    if (!state || state.owner !== "bot") continue;
    if (state.state === "awaiting_customer") await restartNudges(tx, deps, state, handoffId, now);
    if (await resendCurrentStatus(tx, deps, state, { round: handoffId, since: new Date(since), now })) queued = true;
    if (await rerunHeld(tx, deps, state, { handoffId, since: new Date(since), now })) queued = true;
  }
  return queued;
}

/** Nudges (and the auto-cancel) of an unconfirmed order the customer has seen count again from now. */
async function restartNudges(
  tx: Tx,
  deps: Pick<ServiceDependencies, "config">,
  state: FollowUpState,
  round: string,
  now: Date,
): Promise<void> {
  // Never shown yet: the first read-back plans them (onReadBackSent).
  if ((await firstReadBackAt(tx, state.orderId)) === null) return;
  const config = deps.config().notifications;
  await cancelJobs(tx, {
    orderId: state.orderId,
    kinds: [followUpJobs.nudge, followUpJobs.autoCancel],
    now,
    reason: "the chat came back to the bot: counted again from then",
  });
  await scheduleJob(tx, {
    kind: followUpJobs.nudge,
    dueAt: new Date(now.getTime() + config.nudges.afterMinutes * minuteMs),
    dedupeKey: nudgeJobKey(state.orderId, 1, round),
    orderId: state.orderId,
    payload: { n: 1, round },
    now,
  });
  if (config.autoCancelAfterHours !== null) {
    await scheduleJob(tx, {
      kind: followUpJobs.autoCancel,
      dueAt: new Date(now.getTime() + config.autoCancelAfterHours * hourMs),
      dedupeKey: autoCancelJobKey(state.orderId, round),
      orderId: state.orderId,
      now,
    });
  }
}

/**
 * The current status's message, when the person's time kept it from the customer: it came in
 * meanwhile and was not sent, or it was skipped for the person when its time came.
 */
async function resendCurrentStatus(
  tx: Tx,
  deps: Pick<ServiceDependencies, "config">,
  state: FollowUpState,
  input: { round: string; since: Date; now: Date },
): Promise<boolean> {
  const { round, since, now } = input;
  const seq = state.tracking.statusSeq;
  if (seq === 0 || state.deliveryStatus === null || state.chatId === null) return false;
  const intent: NotificationIntent = { kind: "notify.status", orderId: state.orderId, status: state.deliveryStatus, seq };
  if (!mayMessageAutomatically(state, deps.config().notifications, intent).ok) return false;
  const key = `order:${state.orderId}:status:${seq}`;
  const rows = await tx.outboxMessage.findMany({
    where: { orderId: state.orderId, channel: "telegram", OR: [{ idempotencyKey: key }, { idempotencyKey: { startsWith: `${key}:` } }] },
    select: { status: true, skipCode: true },
  });
  // Sent, on its way, or refused by Telegram for good: nothing to make up for.
  if (rows.some((row) => row.status !== "skipped")) return false;
  // Owed whenever it never reached the customer: it came in meanwhile (not queued), or it was
  // skipped for a person, even when it was queued before this person's time began (a broken
  // promise hands the chat over between the status being queued and sent).
  const cameInMeanwhile = state.deliveryStatusAt !== null && state.deliveryStatusAt.getTime() >= since.getTime();
  const skippedForPerson = rows.some((row) => row.skipCode === "with_person");
  if (!cameInMeanwhile && !skippedForPerson) return false;
  // A status the customer is not to hear (a correction back to a stage they heard before, the
  // end reached again) stays untold after the hand back too.
  const events = await tx.orderEvent.findMany({ where: { orderId: state.orderId, type: "delivery.status" }, select: { data: true } });
  const current = events.map((event) => event.data as { seq?: number; untold?: boolean } | null).find((data) => data?.seq === seq);
  if (current?.untold) return false;
  const { enqueued } = await enqueueAutomaticMessage(tx, deps, {
    chatId: state.chatId,
    orderId: state.orderId,
    intent,
    idempotencyKey: `${key}:after:${round}`,
    now,
  });
  return enqueued;
}

/** Reminders and quiet-parcel news that the person's time made skip: once more, now. */
async function rerunHeld(
  tx: Tx,
  deps: Pick<ServiceDependencies, "config">,
  state: FollowUpState,
  input: { handoffId: string; since: Date; now: Date },
): Promise<boolean> {
  const { handoffId, since, now } = input;
  const config = deps.config();

  // Jobs that skipped themselves: run again (each re-checks that it still applies).
  const jobs = await tx.job.findMany({
    where: { orderId: state.orderId, kind: { in: heldJobKinds }, status: "cancelled", finishedAt: { gte: since }, skipCode: "with_person" },
    orderBy: { dueAt: "asc" },
  });
  for (const job of jobs) {
    await scheduleJob(tx, {
      kind: job.kind,
      dueAt: now,
      dedupeKey: `${job.dedupeKey}:after:${handoffId}`,
      orderId: state.orderId,
      payload: (job.payload ?? {}) as JobPayload,
      now,
    });
  }
  // Messages skipped for a person when their time came, and never delivered since: queued again,
  // one per message (a family: the key and its `:after:<handoff>` re-sends).
  if (state.chatId === null) return false;
  const rows = await tx.outboxMessage.findMany({
    where: { orderId: state.orderId, channel: "telegram" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { idempotencyKey: true, status: true, skipCode: true, payload: true },
  });
  const families = new Map<string, typeof rows>();
  for (const row of rows) {
    const family = row.idempotencyKey.split(":after:")[0]!;
    families.set(family, [...(families.get(family) ?? []), row]);
  }
  const owed: Array<{ family: string; intent: NotificationIntent }> = [];
  for (const [family, members] of families) {
    if (members.some((row) => row.status !== "skipped") || !members.some((row) => row.skipCode === "with_person")) continue;
    const intent = parseNotificationIntent(telegramPayloadOf(members.at(-1)!.payload).intent);
    if (intent && heldIntentKinds.has(intent.kind)) owed.push({ family, intent });
  }
  let queued = false;
  for (const { family, intent } of await mergeMoves(tx, state.orderId, owed)) {
    if (!mayMessageAutomatically(state, config.notifications, intent).ok) continue;
    if (
      intent.kind === "notify.delivery_reminder" &&
      deliveryWindowOver({ dueDate: intent.date, window: intent.window }, config.notifications, config.shop.timeZone, now)
    )
      continue;
    const { enqueued } = await enqueueAutomaticMessage(tx, deps, {
      chatId: state.chatId,
      orderId: state.orderId,
      intent,
      idempotencyKey: `${family}:after:${handoffId}`,
      now,
    });
    if (enqueued) queued = true;
  }
  return queued;
}
