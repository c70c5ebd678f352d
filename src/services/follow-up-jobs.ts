import { z } from "zod";
import {
  findFollowUpState,
  findOrdersWithoutPlan,
  firstReadBackAt,
  lastCustomerActivity,
  type FollowUpState,
} from "../db/follow-up-repository.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { findOrder, saveDecision } from "../db/order-repository.js";
import { localDate } from "../domain/contact-hours.js";
import { decide } from "../domain/order-dialog.js";
import { withTransaction, type Tx } from "../db/transaction.js";
import type { JobHandler, JobOutcome, RunnableJob } from "../scheduler/job-runner.js";
import type { Skip } from "../shared/skip-reason.js";
import { scheduleJob } from "../scheduler/schedule-job.js";
import { enqueueAutomaticMessage } from "./contact-time.js";
import { applySlotEvents } from "./delivery-slots.js";
import { dialogRules, dialogSettingsOf } from "./dialog-settings.js";
import { escalateOrder, type EscalationReason } from "./escalate-order.js";
import { finalDeliveryStatuses, type NotificationIntent } from "./notification-intents.js";
import { enqueueOrderWebhooks } from "./order-webhooks.js";
import { noteInCustomerTopic } from "./handoff/topic-replies.js";
import { resumeFollowUps } from "./resume-follow-ups.js";
import { breakPromise, planDeliveryFollowUps } from "./delivery-promises.js";
import {
  allowedBesideManager,
  autoCancelJobKey,
  deliveryWindowOver,
  followUpJobs,
  mayMessageAutomatically,
  nudgeJobKey,
  nudgeMessageKey,
  planQuietParcelChecks,
  scheduleNextSweep,
  withPersonSkip,
} from "./schedule-order-follow-ups.js";
import type { ServiceDependencies } from "./service-dependencies.js";

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

/** The reason an order cancelled for want of an answer carries in its webhook. */
const autoCancelReason = "no_answer";

const done: JobOutcome = { type: "done" };
const skipped = (reason: string): JobOutcome => ({ type: "skipped", reason });
const skippedAs = (skip: Skip): JobOutcome => ({ type: "skipped", reason: skip.skipped, ...(skip.code ? { code: skip.code } : {}) });

/**
 * The handlers of the follow-up jobs, for createJobRunner. Each re-reads the order and re-checks
 * that it still applies (state, who has the chat, reachability) before it writes anything, and
 * writes with keys, so a second run (after a crash) adds nothing.
 */
export function followUpJobHandlers(deps: ServiceDependencies): Record<string, JobHandler> {
  const notifications = () => deps.config().notifications;

  /** Runs a handler's transaction; a message queued in it wakes the outbox after commit. */
  async function inTransaction(fn: (tx: Tx, kick: () => void) => Promise<JobOutcome>): Promise<JobOutcome> {
    let queued = false;
    const outcome = await withTransaction(deps.db, (tx) => fn(tx, () => (queued = true)));
    if (queued) deps.outbox.kick();
    return outcome;
  }

  /** Queues a message if it may go out; the reason when it may not. */
  async function notify(
    tx: Tx,
    state: FollowUpState,
    intent: NotificationIntent,
    key: string,
    now: Date,
    kick: () => void,
  ): Promise<JobOutcome> {
    const allowed = mayMessageAutomatically(state, notifications(), intent);
    if (!allowed.ok) return skippedAs(allowed);
    const { enqueued } = await enqueueAutomaticMessage(tx, deps, {
      chatId: state.chatId!,
      orderId: state.orderId,
      intent,
      idempotencyKey: key,
      now,
    });
    if (enqueued) kick();
    return done;
  }

  async function escalate(orderId: string, reason: EscalationReason, detail?: string): Promise<void> {
    const result = await escalateOrder(deps, { orderId, reason, ...(detail ? { detail } : {}) });
    deps.logger.info({ orderId, reason, result: result.type }, "order escalated by a follow-up");
  }

  const payloadOf = <T extends z.ZodType>(schema: T, job: RunnableJob): z.infer<T> => schema.parse(job.payload);

  return {
    async [followUpJobs.sweep]() {
      const now = deps.clock.now();
      const plan = await withTransaction(deps.db, async (tx) => {
        const found = await findOrdersWithoutPlan(tx, 200);
        for (const orderId of found.confirmed) {
          await scheduleJob(tx, {
            kind: followUpJobs.confirmed,
            dueAt: now,
            dedupeKey: `${followUpJobs.confirmed}:${orderId}`,
            orderId,
            now,
          });
        }
        for (const orderId of found.awaiting) {
          await scheduleJob(tx, {
            kind: followUpJobs.awaiting,
            dueAt: now,
            dedupeKey: `${followUpJobs.awaiting}:${orderId}`,
            orderId,
            now,
          });
        }
        await scheduleNextSweep(tx, now);
        // Finished sweeps are bookkeeping only: keep a day of them.
        await tx.job.deleteMany({
          where: {
            kind: followUpJobs.sweep,
            status: { in: ["done", "cancelled"] },
            finishedAt: { lt: new Date(now.getTime() - 24 * hourMs) },
          },
        });
        return found;
      });
      if (plan.confirmed.length || plan.awaiting.length)
        deps.logger.info({ confirmed: plan.confirmed.length, awaiting: plan.awaiting.length }, "follow-ups planned by the reconciler");
      return done;
    },

    async [followUpJobs.confirmed](job) {
      const now = deps.clock.now();
      return inTransaction(async (tx) => {
        const state = await findFollowUpState(tx, job.orderId!);
        if (!state || state.state !== "confirmed") return skipped("the order is not confirmed");
        await planDeliveryFollowUps(tx, deps, state.orderId, now);
        await planQuietParcelChecks(tx, deps, {
          orderId: state.orderId,
          statusSeq: state.tracking.statusSeq,
          status: state.deliveryStatus,
          now,
        });
        return done;
      });
    },

    async [followUpJobs.awaiting](job) {
      const now = deps.clock.now();
      const config = notifications();
      return inTransaction(async (tx) => {
        const state = await findFollowUpState(tx, job.orderId!);
        if (!state || state.state !== "awaiting_customer") return skipped("the order is no longer waiting for the customer");
        const shownAt = (await firstReadBackAt(tx, state.orderId)) ?? now;
        // A hand back may have planned a round already (resume-follow-ups.ts): that one counts.
        const planned = async (kind: string) => (await tx.job.count({ where: { orderId: state.orderId, kind } })) > 0;
        if (!(await planned(followUpJobs.nudge))) {
          await scheduleJob(tx, {
            kind: followUpJobs.nudge,
            dueAt: new Date(shownAt.getTime() + config.nudges.afterMinutes * minuteMs),
            dedupeKey: nudgeJobKey(state.orderId, 1),
            orderId: state.orderId,
            payload: { n: 1 },
            now,
          });
        }
        if (config.autoCancelAfterHours !== null && !(await planned(followUpJobs.autoCancel))) {
          await scheduleJob(tx, {
            kind: followUpJobs.autoCancel,
            dueAt: new Date(shownAt.getTime() + config.autoCancelAfterHours * hourMs),
            dedupeKey: autoCancelJobKey(state.orderId),
            orderId: state.orderId,
            now,
          });
        }
        return done;
      });
    },

    async [followUpJobs.nudge](job) {
      const { n, round } = payloadOf(z.object({ n: z.int().min(1), round: z.string().optional() }), job);
      const now = deps.clock.now();
      const config = notifications();
      let escalation = false;
      const outcome = await inTransaction(async (tx, kick) => {
        const state = await findFollowUpState(tx, job.orderId!);
        if (!state || state.state !== "awaiting_customer") return skipped("the order is no longer waiting for the customer");
        const intent: NotificationIntent = { kind: "notify.nudge", orderId: state.orderId, n };
        const allowed = mayMessageAutomatically(state, config, intent);
        if (!allowed.ok) return skippedAs(allowed);
        // A hand back started a new round while this one was on its way: that round counts.
        if (await tx.job.count({ where: { orderId: state.orderId, kind: followUpJobs.nudge, status: "pending", id: { not: job.id } } }))
          return skipped("a newer round of nudges replaced it");
        // The customer did something meanwhile: they are not silent; count from then.
        const active = await lastCustomerActivity(tx, state.orderId);
        const quietUntil = active ? new Date(active.getTime() + config.nudges.afterMinutes * minuteMs) : null;
        if (quietUntil && quietUntil.getTime() > now.getTime()) return { type: "retry", reason: "the customer was active", at: quietUntil };
        if (n > config.nudges.count) {
          escalation = true;
          return done;
        }
        const { enqueued, sendAt } = await enqueueAutomaticMessage(tx, deps, {
          chatId: state.chatId!,
          orderId: state.orderId,
          intent,
          idempotencyKey: nudgeMessageKey(state.orderId, n, round),
          now,
        });
        if (enqueued) kick();
        await scheduleJob(tx, {
          kind: followUpJobs.nudge,
          dueAt: new Date(sendAt.getTime() + config.nudges.afterMinutes * minuteMs),
          dedupeKey: nudgeJobKey(state.orderId, n + 1, round),
          orderId: state.orderId,
          payload: { n: n + 1, ...(round ? { round } : {}) },
          now,
        });
        return done;
      });
      if (escalation) await escalate(job.orderId!, "no_answer_to_nudges", `${n - 1} nudges unanswered`);
      return outcome;
    },

    async [followUpJobs.autoCancel](job) {
      const now = deps.clock.now();
      return inTransaction(async (tx, kick) => {
        const record = await findOrder(tx, job.orderId!);
        if (!record || record.order.state !== "awaiting_customer") return skipped("the order is no longer waiting for the customer");
        // While a person has the chat only if the owner allows it (`whileManagerHasChat: [auto_cancel]`).
        if (!allowedBesideManager(record.dialog.owner, notifications(), "auto_cancel"))
          return skippedAs(withPersonSkip(record.dialog.owner));
        if ((await lastCustomerActivity(tx, record.order.id)) !== null) return skipped("the customer answered");
        // The same rules as a customer's cancellation (the place in a courier window is given
        // back), guarded by the dialog's version like every dialog write: a tap at this moment wins.
        const rules = dialogRules(dialogSettingsOf(record, deps));
        const decision = decide(
          record.order,
          record.dialog,
          { type: "cancel", reason: autoCancelReason },
          { rules: { ...rules, cancelReasons: [autoCancelReason] }, now },
        );
        if (decision.type === "rejected") return skipped(`the dialog refused: ${decision.code}`);
        if ((await saveDecision(tx, record.dialog.version, decision.order, decision.dialog)) === "conflict")
          return { type: "retry", reason: "the dialog changed meanwhile" };
        await applySlotEvents(tx, decision.events, rules.delivery.courier);
        await appendOrderEvents(tx, record.order.id, now, "system", [
          { type: "order.auto_cancelled", data: { afterHours: notifications().autoCancelAfterHours } },
        ]);
        const saved = (await findOrder(tx, record.order.id))!;
        if (
          await enqueueOrderWebhooks(tx, saved, ["order.cancelled"], {
            now,
            botUsername: deps.botUsername,
            details: { reason: autoCancelReason },
          })
        )
          kick();
        const state = (await findFollowUpState(tx, record.order.id))!;
        await notify(
          tx,
          state,
          { kind: "notify.auto_cancelled", orderId: record.order.id },
          `order:${record.order.id}:auto_cancelled`,
          now,
          kick,
        );
        return done;
      });
    },

    async [followUpJobs.deliveryReminder](job) {
      const { date, window } = payloadOf(z.object({ date: z.string(), window: z.string().nullable() }), job);
      const now = deps.clock.now();
      return inTransaction(async (tx, kick) => {
        const state = await findFollowUpState(tx, job.orderId!);
        if (!state || state.state !== "confirmed") return skipped("the order is not confirmed");
        if (state.deliveredAt || (state.deliveryStatus && finalDeliveryStatuses.includes(state.deliveryStatus)))
          return skipped("the parcel is no longer on its way");
        const promise = await tx.orderPromise.findFirst({
          where: { orderId: state.orderId, kind: "delivery", status: "open" },
          orderBy: { madeAt: "desc" },
        });
        if (!promise || promise.dueDate !== date || (promise.window ?? null) !== window) return skipped("the delivery date changed");
        if (deliveryWindowOver(promise, notifications(), deps.config().shop.timeZone, now)) return skipped("the delivery window is over");
        return notify(
          tx,
          state,
          { kind: "notify.delivery_reminder", orderId: state.orderId, date, window },
          `order:${state.orderId}:reminder:${date}:${window ?? ""}`,
          now,
          kick,
        );
      });
    },

    async [followUpJobs.pickupStorage](job) {
      const { storageUntil } = payloadOf(z.object({ storageUntil: z.string() }), job);
      const now = deps.clock.now();
      return inTransaction(async (tx, kick) => {
        const state = await findFollowUpState(tx, job.orderId!);
        if (!state || state.state === "cancelled") return skipped("the order was cancelled");
        if (state.deliveryStatus !== "ready_for_pickup" || state.tracking.pickup?.storageUntil !== storageUntil)
          return skipped("the parcel is no longer waiting at the pickup point");
        return notify(
          tx,
          state,
          { kind: "notify.pickup_storage", orderId: state.orderId, storageUntil },
          `order:${state.orderId}:pickup_storage:${storageUntil}`,
          now,
          kick,
        );
      });
    },

    async [followUpJobs.quietParcel](job) {
      const { seq, days } = payloadOf(z.object({ seq: z.int(), days: z.int() }), job);
      const now = deps.clock.now();
      return inTransaction(async (tx, kick) => {
        const state = await findFollowUpState(tx, job.orderId!);
        if (!state || state.state === "cancelled") return skipped("the order was cancelled");
        if (state.tracking.statusSeq !== seq) return skipped("the status changed since");
        if (state.deliveredAt || (state.deliveryStatus && finalDeliveryStatuses.includes(state.deliveryStatus)))
          return skipped("the parcel arrived");
        const outcome = await notify(
          tx,
          state,
          { kind: "notify.quiet_parcel", orderId: state.orderId, days, seq },
          `order:${state.orderId}:quiet:${seq}:${days}`,
          now,
          kick,
        );
        // No date still ahead: the customer was told a colleague checks with the carrier, so one must.
        const expected = state.tracking.expectedDate;
        const today = localDate(now, deps.config().shop.timeZone);
        if (outcome.type === "done" && state.chatId !== null && (!expected || expected < today)) {
          const order = await tx.order.findUniqueOrThrow({ where: { id: state.orderId }, select: { externalId: true } });
          const told = await noteInCustomerTopic(tx, deps, {
            customerChatId: state.chatId,
            key: expected ? "handoff.managers.quietParcelOverdue" : "handoff.managers.quietParcelNoDate",
            params: {
              orderNumber: order.externalId,
              days: String(days),
              status: (state.deliveryStatus ?? "none").replaceAll("_", " "),
              date: expected ?? "",
            },
            dedupeKey: `order:${state.orderId}:quiet:${seq}:${days}:managers`,
            orderId: state.orderId,
            now,
          });
          if (told) kick();
        }
        return outcome;
      });
    },

    async [followUpJobs.backWithBot](job) {
      const now = deps.clock.now();
      return inTransaction(async (tx, kick) => {
        if (await resumeFollowUps(tx, deps, job.payload, now)) kick();
        return done;
      });
    },

    async [followUpJobs.promiseCheck](job) {
      const { promiseId } = payloadOf(z.object({ promiseId: z.string() }), job);
      const now = deps.clock.now();
      let broken = false;
      const outcome = await inTransaction(async (tx, kick) => {
        const promise = await tx.orderPromise.findUnique({ where: { id: promiseId } });
        if (!promise || promise.status !== "open") return skipped(`the promise is ${promise?.status ?? "gone"}`);
        const state = await findFollowUpState(tx, promise.orderId);
        if (!state || state.state === "cancelled") {
          await tx.orderPromise.update({ where: { id: promiseId }, data: { status: "superseded", closedAt: now } });
          return skipped("the order was cancelled");
        }
        if (state.deliveredAt) {
          await tx.orderPromise.update({ where: { id: promiseId }, data: { status: "kept", closedAt: now } });
          return done;
        }
        broken =
          (await breakPromise(
            tx,
            deps,
            { promise, state, now, newEstimate: laterDate(state.tracking.expectedDate, promise.dueDate) },
            kick,
          )) === "broken";
        return done;
      });
      if (broken) await escalate(job.orderId!, "broken_promise", `promised ${promiseId}`);
      return outcome;
    },
  };
}

/** `candidate` when it is a date after `than`; otherwise null. */
const laterDate = (candidate: string | null, than: string): string | null => (candidate && candidate > than ? candidate : null);
