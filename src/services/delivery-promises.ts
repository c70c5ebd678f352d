import type { FollowUpState } from "../db/follow-up-repository.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import type { Tx } from "../db/transaction.js";
import { localDate, parseTimeWindow, zonedInstant } from "../domain/contact-hours.js";
import { judgeNewDate, workingDaysAfter, type PromiseChange, type PromiseSource } from "../domain/promise.js";
import { reminderTime } from "../domain/reminder-time.js";
import { telegramPayloadOf } from "../outbox/outbox-message.js";
import { cancelJobs, scheduleJob } from "../scheduler/schedule-job.js";
import { newId } from "../shared/ids.js";
import { contactHoursOf, enqueueAutomaticMessage } from "./contact-time.js";
import type { NotificationIntent } from "./notification-intents.js";
import { followUpJobs } from "./schedule-order-follow-ups.js";
import type { ServiceDependencies } from "./service-dependencies.js";

// Rule 8 (docs/rules-of-the-trade.md), "never lie, keep the dates you announce": every date the customer was told is an
// OrderPromise row (src/domain/promise.ts says what happens to it). This module carries the
// verdicts out: it makes promises with their reminder and their check, moves them when the shop
// announces a later date in time (told as a move), and breaks them when their end has passed
// (an apology, and the caller hands the chat to a person).

type Deps = Pick<ServiceDependencies, "config">;

export interface DeliveryPromise {
  id: string;
  orderId: string;
  dueDate: string;
  window: string | null;
  source: string;
  madeAt: Date;
}

const hourMs = 60 * 60_000;

/** The order's open delivery promise: the date the customer currently expects. */
export async function openPromiseOf(tx: Tx, orderId: string): Promise<DeliveryPromise | null> {
  return tx.orderPromise.findFirst({ where: { orderId, kind: "delivery", status: "open" }, orderBy: { madeAt: "desc" } });
}

/** The moment a promise counts as broken: the end of its window, or closing time on its day, plus the grace. */
export function promiseDeadline(promise: { dueDate: string; window: string | null }, deps: Deps): Date {
  const config = deps.config();
  const window = parseTimeWindow(promise.window);
  const endMinute = window ? window.end : contactHoursOf(config.notifications).closeMinute;
  return new Date(
    zonedInstant(promise.dueDate, endMinute, config.shop.timeZone).getTime() + config.notifications.promises.graceHours * hourMs,
  );
}

/**
 * Plans what follows an agreed delivery: the promise (made now unless one is open: the agreed date
 * recorded at confirmation, or for post the end of the "usually N working days" the customer was
 * quoted), its reminder and its check. Idempotent (keys).
 */
export async function planDeliveryFollowUps(tx: Tx, deps: Deps, orderId: string, now: Date): Promise<void> {
  const config = deps.config();
  const order = await tx.order.findUnique({ where: { id: orderId }, select: { state: true, delivery: true } });
  if (!order || order.state !== "confirmed") return;
  const delivery = (order.delivery ?? {}) as { method?: string | null; date?: string | null; window?: string | null };
  let promise = await openPromiseOf(tx, orderId);
  if (!promise && delivery.date)
    promise = await recordPromise(tx, { orderId, dueDate: delivery.date, window: delivery.window ?? null, source: "agreed", now });
  if (!promise && delivery.method === "post") {
    // The read-back said "usually min-max working days" (the current setting: the estimate is the shop's word now).
    const dueDate = workingDaysAfter(localDate(now, config.shop.timeZone), config.delivery.post.estimateDays.max);
    promise = await recordPromise(tx, { orderId, dueDate, window: null, source: "estimate", now });
  }
  if (!promise) return;
  await watchPromise(tx, deps, promise, delivery.method ?? null, now);
}

async function recordPromise(
  tx: Tx,
  input: { orderId: string; dueDate: string; window: string | null; source: PromiseSource; now: Date },
): Promise<DeliveryPromise> {
  return tx.orderPromise.create({
    data: {
      id: newId(),
      orderId: input.orderId,
      kind: "delivery",
      dueDate: input.dueDate,
      window: input.window,
      source: input.source,
      madeAt: input.now,
    },
  });
}

/**
 * The reminder before a promised delivery (not for pickup: "ready for pickup" and the storage
 * reminder come instead) and the check that it was kept. A window is reminded
 * `deliveryReminder.hoursBefore` ahead, a day without one at its opening; a moment in quiet hours
 * moves earlier (src/domain/reminder-time.ts). Keys carry the date, so a moved promise gets its own.
 */
async function watchPromise(tx: Tx, deps: Deps, promise: DeliveryPromise, method: string | null, now: Date): Promise<void> {
  const config = deps.config();
  const timeZone = config.shop.timeZone;
  const hours = contactHoursOf(config.notifications);
  if (method !== "pickup") {
    const window = parseTimeWindow(promise.window);
    const windowStart = zonedInstant(promise.dueDate, window ? window.start : hours.openMinute, timeZone);
    const hoursBefore = window ? config.notifications.deliveryReminder.hoursBefore : 0;
    const remindAt = reminderTime({ windowStart, hoursBefore, now, hours, timeZone });
    if (remindAt) {
      await scheduleJob(tx, {
        kind: followUpJobs.deliveryReminder,
        dueAt: remindAt,
        dedupeKey: `${followUpJobs.deliveryReminder}:${promise.orderId}:${promise.dueDate}:${promise.window ?? ""}`,
        orderId: promise.orderId,
        payload: { date: promise.dueDate, window: promise.window },
        now,
      });
    }
  }
  await scheduleJob(tx, {
    kind: followUpJobs.promiseCheck,
    dueAt: promiseDeadline(promise, deps),
    dedupeKey: `${followUpJobs.promiseCheck}:${promise.id}`,
    orderId: promise.orderId,
    payload: { promiseId: promise.id },
    now,
  });
}

/**
 * The customer agreed another delivery (a remedy: another day, a pickup point): the open promise
 * no longer applies, its reminder and check go, and a new date (when there is one) is the promise
 * now, with its own.
 */
export async function replaceDeliveryPromise(
  tx: Tx,
  deps: Deps,
  input: { orderId: string; dueDate: string | null; window: string | null; method: string | null; now: Date },
): Promise<void> {
  const { orderId, now } = input;
  await tx.orderPromise.updateMany({ where: { orderId, kind: "delivery", status: "open" }, data: { status: "superseded", closedAt: now } });
  await cancelJobs(tx, { orderId, kinds: promiseJobs, now, reason: "the customer agreed another delivery" });
  if (!input.dueDate) return;
  const promise = await recordPromise(tx, { orderId, dueDate: input.dueDate, window: input.window, source: "agreed", now });
  await watchPromise(tx, deps, promise, input.method, now);
}

/** What an announced date did to the order's promise: `made` when there was none. */
export type AnnouncedDate = PromiseChange["type"] | "made" | "lapsed";

/**
 * The shop announced a delivery date (a status update's `expectedDate`). Without an open promise
 * it becomes one; the same or an earlier date leaves the promise as it is; a later one moves it
 * (told as a move) or, once its deadline has passed, breaks it (apology). The caller escalates a
 * `broken` after commit.
 */
export async function announceDeliveryDate(
  tx: Tx,
  deps: Deps,
  input: { state: FollowUpState; date: string; now: Date },
  kick: () => void,
): Promise<AnnouncedDate> {
  const { state, date, now } = input;
  const open = await openPromiseOf(tx, state.orderId);
  if (!open) {
    // A day already apologised for, or one whose end has passed, is no new promise: it could only
    // break at once, with a second apology (or one for a day the customer was never told).
    const broken = await tx.orderPromise.findFirst({
      where: { orderId: state.orderId, kind: "delivery", status: "broken" },
      orderBy: { madeAt: "desc" },
    });
    if ((broken && date <= broken.dueDate) || promiseDeadline({ dueDate: date, window: null }, deps).getTime() <= now.getTime())
      return "unchanged";
    const promise = await recordPromise(tx, { orderId: state.orderId, dueDate: date, window: null, source: "shop", now });
    await watchPromise(tx, deps, promise, state.deliveryMethod, now);
    // After an apology without a new date, the next one is news the customer is owed even when the
    // status stays as it was (no status message carries it): told as a move from the broken day.
    if (broken)
      await tellCustomer(
        tx,
        deps,
        state,
        { kind: "notify.promise_moved", orderId: state.orderId, from: broken.dueDate, to: date },
        `order:${state.orderId}:promise_moved:${broken.id}`,
        now,
        kick,
      );
    return "made";
  }
  const change = judgeNewDate({ dueDate: open.dueDate, deadline: promiseDeadline(open, deps) }, date, now);
  if (change.type === "broken") return breakPromise(tx, deps, { promise: open, state, now, newEstimate: date }, kick);
  if (change.type === "moved") await movePromise(tx, deps, { promise: open, state, now, to: date }, kick);
  return change.type;
}

/** Reminders and checks of a promise that no longer stands. */
const promiseJobs = [followUpJobs.deliveryReminder, followUpJobs.promiseCheck];

/**
 * A later date announced before the promise was due: the promise is `moved`, the new date is the
 * promise now (with its own reminder and check), and the customer is told it as a move, once.
 */
async function movePromise(
  tx: Tx,
  deps: Deps,
  input: { promise: DeliveryPromise; state: FollowUpState; now: Date; to: string },
  kick: () => void,
): Promise<void> {
  const { promise, state, now, to } = input;
  await tx.orderPromise.update({ where: { id: promise.id }, data: { status: "moved", closedAt: now } });
  await cancelJobs(tx, { orderId: promise.orderId, kinds: promiseJobs, now, reason: `the promise moved to ${to}` });
  const next = await recordPromise(tx, { orderId: promise.orderId, dueDate: to, window: null, source: "shop", now });
  await watchPromise(tx, deps, next, state.deliveryMethod, now);
  await appendOrderEvents(tx, promise.orderId, now, "shop", [
    { type: "promise.moved", data: { promiseId: promise.id, from: promise.dueDate, window: promise.window, to } },
  ]);
  await tellCustomer(
    tx,
    deps,
    state,
    { kind: "notify.promise_moved", orderId: promise.orderId, from: promise.dueDate, to },
    `order:${promise.orderId}:promise_moved:${promise.id}`,
    now,
    kick,
  );
}

/**
 * A promised date will not be kept: the promise is marked broken, the customer gets an apology
 * (with the new estimate when there is one, which becomes the next promise) and the history says
 * so. The caller escalates after commit, so a manager is told.
 */
export async function breakPromise(
  tx: Tx,
  deps: Deps,
  input: { promise: DeliveryPromise; state: FollowUpState; now: Date; newEstimate: string | null },
  kick: () => void,
): Promise<"broken" | "lapsed"> {
  const { promise, state, now, newEstimate } = input;
  // A date the shop posted that never reached the customer (held while a person had the chat,
  // then overtaken) was no promise to them: it lapses without an apology naming a day they were
  // never told; the next date, if any, is the promise now.
  const told = promise.source !== "shop" || (await customerWasTold(tx, promise));
  await tx.orderPromise.update({ where: { id: promise.id }, data: { status: told ? "broken" : "superseded", closedAt: now } });
  await cancelJobs(tx, {
    orderId: promise.orderId,
    kinds: promiseJobs,
    now,
    reason: told ? "the promise is broken" : "the date was never told to the customer",
  });
  await appendOrderEvents(tx, promise.orderId, now, "system", [
    { type: told ? "promise.broken" : "promise.lapsed", data: { promiseId: promise.id, dueDate: promise.dueDate, newEstimate } },
  ]);
  if (newEstimate) {
    const next = await recordPromise(tx, { orderId: promise.orderId, dueDate: newEstimate, window: null, source: "shop", now });
    await watchPromise(tx, deps, next, state.deliveryMethod, now);
  }
  if (!told) return "lapsed";
  const intent: NotificationIntent = {
    kind: "notify.promise_broken",
    orderId: promise.orderId,
    promisedDate: promise.dueDate,
    newEstimate,
    ...(promise.source === "estimate" ? { estimate: true } : {}),
  };
  await tellCustomer(tx, deps, state, intent, `order:${promise.orderId}:promise_broken:${promise.id}`, now, kick);
  return "broken";
}

/** The messages that tell the customer a date the shop posted: its status message, or a move. */
const dateTellingIntents = new Set(["notify.status", "notify.promise_moved"]);

/**
 * Whether a message that tells the shop's date went to the customer, or is on its way (queued
 * behind what is before it): one queued with the promise or later, not skipped.
 */
async function customerWasTold(tx: Tx, promise: DeliveryPromise): Promise<boolean> {
  const rows = await tx.outboxMessage.findMany({
    where: {
      orderId: promise.orderId,
      channel: "telegram",
      status: { in: ["pending", "sending", "sent"] },
      nextAttemptAt: { gte: promise.madeAt },
    },
    select: { payload: true },
  });
  return rows.some((row) => dateTellingIntents.has(String((telegramPayloadOf(row.payload).intent as { kind?: unknown } | null)?.kind)));
}

/**
 * Queued whoever has the chat: the send checks again (a move waits out a person's time and goes
 * out after the hand back, src/services/resume-follow-ups.ts; the apology always goes).
 */
async function tellCustomer(
  tx: Tx,
  deps: Deps,
  state: FollowUpState,
  intent: NotificationIntent,
  key: string,
  now: Date,
  kick: () => void,
): Promise<void> {
  if (state.chatId === null || state.unreachable) return;
  const { enqueued } = await enqueueAutomaticMessage(tx, deps, {
    chatId: state.chatId,
    orderId: state.orderId,
    intent,
    idempotencyKey: key,
    now,
  });
  if (enqueued) kick();
}
