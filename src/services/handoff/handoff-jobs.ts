import { z } from "zod";
import { findHandoff, moveHandoff, updateHandoff } from "../../db/handoff-repository.js";
import { appendOrderEvents } from "../../db/order-event-repository.js";
import { findOrder } from "../../db/order-repository.js";
import { withTransaction } from "../../db/transaction.js";
import { enqueueOutbox } from "../../outbox/enqueue-outbox.js";
import type { JobHandler, JobOutcome } from "../../scheduler/job-runner.js";
import { orderView } from "../order-view.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";
import { handoffJobKinds } from "./handoff-job-kinds.js";
import { scheduleNobodyTookIt } from "./open-handoff.js";
import { toJsonObject } from "../../shared/json-value.js";

const payloadSchema = z.object({ handoffId: z.string(), n: z.int().min(1) });

/**
 * The handoff's timers, for the job runner's handler map: nobody took the chat in time → the
 * group is pinged again (with the configured mentions), and after the last re-ping the customer
 * gets an honest update and the shop a `handoff.unanswered` webhook. A chat taken meanwhile
 * skips them.
 */
export function handoffJobHandlers(deps: ServiceDependencies): Record<string, JobHandler> {
  const run =
    (fn: (input: z.infer<typeof payloadSchema>) => Promise<JobOutcome>): JobHandler =>
    async (job) => {
      const parsed = payloadSchema.safeParse(job.payload);
      if (!parsed.success) return { type: "skipped", reason: "payload is not a handoff's" };
      const outcome = await fn(parsed.data);
      if (outcome.type === "done") deps.outbox.kick();
      return outcome;
    };

  return {
    [handoffJobKinds.reping]: run(({ handoffId, n }) =>
      withTransaction(deps.db, async (tx): Promise<JobOutcome> => {
        const now = deps.clock.now();
        const handoff = await findHandoff(tx, handoffId);
        if (!handoff || handoff.state !== "waiting") return { type: "skipped", reason: "the chat was taken or ended" };
        const group = deps.config().managers.groupChatId;
        if (group === null) return { type: "skipped", reason: "no managers' group configured" };
        await updateHandoff(tx, handoff.id, { pings: n });
        await enqueueHandoffMessage(
          tx,
          group,
          { kind: "handoff.reping", handoffId, n },
          { key: `${handoffId}:reping:${n}`, now, orderId: handoff.orderId },
        );
        await scheduleNobodyTookIt(tx, deps, handoff, n + 1, now);
        return { type: "done" };
      }),
    ),
    [handoffJobKinds.unanswered]: run(({ handoffId }) =>
      withTransaction(deps.db, async (tx): Promise<JobOutcome> => {
        const now = deps.clock.now();
        const handoff = await findHandoff(tx, handoffId);
        if (!handoff || handoff.state !== "waiting") return { type: "skipped", reason: "the chat was taken or ended" };
        if (!(await moveHandoff(tx, handoff.id, ["waiting"], { unansweredAt: now })) || handoff.unansweredAt) {
          return { type: "skipped", reason: "already told" };
        }
        await enqueueHandoffMessage(
          tx,
          handoff.chatId,
          { kind: "handoff.notice", handoffId, what: "unanswered" },
          { key: `${handoffId}:notice:unanswered`, now, orderId: handoff.orderId },
        );
        const group = deps.config().managers.groupChatId;
        if (group !== null)
          await enqueueHandoffMessage(
            tx,
            group,
            { kind: "handoff.card", handoffId },
            { key: `${handoffId}:card:unanswered`, now, orderId: handoff.orderId },
          );
        const record = handoff.orderId ? await findOrder(tx, handoff.orderId) : null;
        if (record)
          await appendOrderEvents(tx, record.order.id, now, "system", [
            { type: "handoff.unanswered", data: { reason: handoff.reason, pings: handoff.pings } },
          ]);
        await enqueueOutbox(
          tx,
          {
            channel: "webhook",
            ...(handoff.orderId ? { orderId: handoff.orderId } : {}),
            event: "handoff.unanswered",
            data: toJsonObject({
              reason: handoff.reason,
              waitingSince: handoff.createdAt.toISOString(),
              pings: handoff.pings,
              customer: {
                telegramUserId: String(handoff.chatId),
                name: record?.order.customer.name ?? null,
                phone: record?.order.customer.phone ?? null,
              },
              order: record ? orderView(record, deps.botUsername) : null,
            }),
          },
          { idempotencyKey: `handoff:${handoffId}:webhook:unanswered`, now },
        );
        return { type: "done" };
      }),
    ),
  };
}
