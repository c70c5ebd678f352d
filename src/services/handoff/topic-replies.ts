import { ensureSupportTopic } from "../../db/handoff-repository.js";
import { withTransaction, type Tx } from "../../db/transaction.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";

/**
 * A short line from the bot into a customer's topic (a usage hint, why something was not done),
 * in the managers' language. Queued like everything the bot writes into the group, so it is paced
 * with the group's limit; `dedupeKey` makes it once-only.
 */
export async function replyInTopic(
  deps: ServiceDependencies,
  input: { customerChatId: bigint; key: string; params?: Record<string, string>; dedupeKey: string },
): Promise<void> {
  const group = deps.config().managers.groupChatId;
  if (group === null) return;
  const now = deps.clock.now();
  const queued = await withTransaction(deps.db, (tx) =>
    enqueueHandoffMessage(
      tx,
      group,
      {
        kind: "handoff.topic_text",
        customerChatId: String(input.customerChatId),
        key: input.key,
        ...(input.params ? { params: input.params } : {}),
      },
      { key: `topic:${input.dedupeKey}`, now },
    ),
  );
  if (queued) deps.outbox.kick();
}

/**
 * A line for the managers about a customer who may have no topic yet (a return request, a parcel
 * that is stuck), in the caller's transaction: the topic is created when first written to, and
 * the bot keeps the chat. False when no managers' group is configured or it was queued already.
 */
export async function noteInCustomerTopic(
  tx: Tx,
  deps: Pick<ServiceDependencies, "config">,
  input: { customerChatId: bigint; key: string; params: Record<string, string>; dedupeKey: string; orderId: string | null; now: Date },
): Promise<boolean> {
  const group = deps.config().managers.groupChatId;
  if (group === null) return false;
  await ensureSupportTopic(tx, input.customerChatId, group);
  return enqueueHandoffMessage(
    tx,
    group,
    { kind: "handoff.topic_text", customerChatId: String(input.customerChatId), key: input.key, params: input.params },
    { key: input.dedupeKey, now: input.now, orderId: input.orderId },
  );
}

/** One refusal per person and topic in this long at most: someone who keeps writing does not fill the group's budget. */
const outsiderRefusalEveryMs = 10 * 60_000;

/**
 * Someone who is not a manager wrote in a customer's topic: nothing reaches the customer, and the
 * topic says so once (again after a while), rather than dropping it silently.
 */
export async function refuseOutsiderInTopic(deps: ServiceDependencies, input: { customerChatId: bigint; userId: bigint }): Promise<void> {
  const period = Math.floor(deps.clock.now().getTime() / outsiderRefusalEveryMs);
  await replyInTopic(deps, {
    customerChatId: input.customerChatId,
    key: "handoff.managers.topic.notManager",
    dedupeKey: `outsider:${input.customerChatId}:${input.userId}:${period}`,
  });
}
