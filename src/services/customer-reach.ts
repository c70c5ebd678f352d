import { z } from "zod";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { findOrder, type OrderRecord } from "../db/order-repository.js";
import { withTransaction, type Tx } from "../db/transaction.js";
import { nextContactTime } from "../domain/contact-hours.js";
import { isFinal } from "../domain/order.js";
import { reachPlan } from "../domain/reach-plan.js";
import type { JobHandler, JobOutcome, RunnableJob } from "../scheduler/job-runner.js";
import { scheduleJob } from "../scheduler/schedule-job.js";
import { contactHoursOf } from "./contact-time.js";
import { enqueueHandoffMessage } from "./handoff/handoff-intents.js";
import { enqueueOrderWebhooks } from "./order-webhooks.js";
import { startLink } from "./order-view.js";
import type { ServiceDependencies } from "./service-dependencies.js";
import { startLinkQrDataUrl, startQrPath } from "./start-link-qr.js";

/**
 * Reaching a customer who has not opened the chat (rule 1: a new order is confirmed within the
 * hour; a Telegram bot cannot write to a phone number). While an order has no chat, the shop is
 * told with order.unreached (the start link and its QR code, for its SMS, e-mail or print), twice,
 * and then the order is marked for a person. Plans: src/domain/reach-plan.ts.
 */
export const customerReachJobs = {
  /** Tell the shop the customer has not opened the chat (payload: which notice, of how many). */
  notice: "order.unreached",
  /** Stop waiting: mark the order for a person. */
  giveUp: "order.reach_give_up",
} as const;

/** The reason the shop's order.escalated carries when the bot gave up waiting for the customer. */
export const unreachedReason = "unreached";

/**
 * Hook: call in the transaction that stores an order without a chat (receive-order). Idempotent:
 * an update of the same order plans nothing new, and a customer who links meanwhile makes every
 * planned step skip itself.
 */
export async function planCustomerReach(
  tx: Tx,
  deps: Pick<ServiceDependencies, "config">,
  input: { orderId: string; createdAt: Date; now: Date },
): Promise<void> {
  const config = deps.config();
  const plan = reachPlan(input.createdAt, config.linking, contactHoursOf(config.notifications), config.shop.timeZone);
  for (const [index, dueAt] of plan.notices.entries()) {
    const n = index + 1;
    await scheduleJob(tx, {
      kind: customerReachJobs.notice,
      dueAt,
      dedupeKey: `${customerReachJobs.notice}:${input.orderId}:${n}`,
      orderId: input.orderId,
      payload: { n, of: plan.notices.length, giveUpAt: plan.giveUpAt.toISOString() },
      now: input.now,
    });
  }
  await scheduleJob(tx, {
    kind: customerReachJobs.giveUp,
    dueAt: plan.giveUpAt,
    dedupeKey: `${customerReachJobs.giveUp}:${input.orderId}`,
    orderId: input.orderId,
    payload: { afterHours: config.linking.giveUpAfterHours },
    now: input.now,
  });
}

const noticePayload = z.object({ n: z.int().min(1), of: z.int().min(1), giveUpAt: z.iso.datetime() });
const giveUpPayload = z.object({ afterHours: z.int().min(1) });

/** Why a reach step no longer applies to the order, or null when it still does. */
function noLongerApplies(record: OrderRecord | null): string | null {
  if (!record) return "the order no longer exists";
  if (record.chatId !== null) return "the customer opened the chat";
  if (isFinal(record.order)) return `the order is ${record.order.state}`;
  if (record.reach.givenUpAt) return "the bot gave up already";
  return null;
}

/** The handlers of the reach jobs, for createJobRunner. */
export function customerReachJobHandlers(deps: ServiceDependencies): Record<string, JobHandler> {
  const skipped = (reason: string): JobOutcome => ({ type: "skipped", reason });

  /** A step that was due in contact hours but runs outside them (the server was down): at the next opening. */
  function outsideContactHours(): JobOutcome | null {
    const config = deps.config();
    const now = deps.clock.now();
    const open = nextContactTime(now, contactHoursOf(config.notifications), config.shop.timeZone);
    return open && open.getTime() > now.getTime() ? { type: "retry", reason: "outside contact hours", at: open } : null;
  }

  async function run(job: RunnableJob, step: (tx: Tx, record: OrderRecord, now: Date) => Promise<number>): Promise<JobOutcome> {
    const wait = outsideContactHours();
    if (wait) return wait;
    const now = deps.clock.now();
    let queued = 0;
    const outcome = await withTransaction(deps.db, async (tx): Promise<JobOutcome> => {
      const record = await findOrder(tx, job.orderId!);
      const reason = noLongerApplies(record);
      if (reason) return skipped(reason);
      queued = await step(tx, record!, now);
      return { type: "done" };
    });
    if (queued) deps.outbox.kick();
    return outcome;
  }

  return {
    async [customerReachJobs.notice](job) {
      const { n, of, giveUpAt } = noticePayload.parse(job.payload);
      return run(job, async (tx, record, now) => {
        await tx.order.update({ where: { id: record.order.id }, data: { unreachedNotices: n } });
        const saved = (await findOrder(tx, record.order.id))!;
        const link = record.startToken ? startLink(deps.botUsername, record.startToken) : null;
        const queued = await enqueueOrderWebhooks(tx, saved, ["order.unreached"], {
          now,
          botUsername: deps.botUsername,
          occurrence: `notice:${n}`,
          details: {
            notice: n,
            notices: of,
            giveUpAt,
            startQr: link ? { url: startQrPath(record.order.id), dataUrl: await startLinkQrDataUrl(link) } : null,
          },
        });
        // Only with the webhook: a re-run after a crash adds no second history entry.
        if (queued) await appendOrderEvents(tx, record.order.id, now, "system", [{ type: "order.unreached", data: { notice: n } }]);
        return queued;
      });
    },

    async [customerReachJobs.giveUp](job) {
      const { afterHours } = giveUpPayload.parse(job.payload);
      return run(job, async (tx, record, now) => {
        await tx.order.update({ where: { id: record.order.id }, data: { reachGivenUpAt: now } });
        await appendOrderEvents(tx, record.order.id, now, "system", [{ type: "order.reach_given_up", data: { afterHours } }]);
        const saved = (await findOrder(tx, record.order.id))!;
        let queued = await enqueueOrderWebhooks(tx, saved, ["order.escalated"], {
          now,
          botUsername: deps.botUsername,
          occurrence: unreachedReason,
          details: { reason: unreachedReason },
        });
        const group = deps.config().managers.groupChatId;
        if (group !== null) {
          const told = await enqueueHandoffMessage(
            tx,
            group,
            {
              kind: "handoff.group_text",
              key: "handoff.managers.unreachedOrder",
              params: {
                orderNumber: record.order.externalId,
                customerName: record.order.customer.name,
                phone: record.order.customer.phone ?? "—",
                hours: String(afterHours),
                startLink: record.startToken ? startLink(deps.botUsername, record.startToken) : "—",
              },
            },
            { key: `unreached:${record.order.id}`, now, orderId: record.order.id },
          );
          if (told) queued++;
        }
        deps.logger.info({ orderId: record.order.id, afterHours }, "customer never opened the chat: the order is marked for a person");
        return queued;
      });
    },
  };
}
