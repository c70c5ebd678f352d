import { findActiveHandoff, findSupportTopic } from "../../db/handoff-repository.js";
import type { Tx } from "../../db/transaction.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";

/**
 * The customer became unreachable in Telegram (blocked the bot) or reachable again (wrote again):
 * their topic's title and the open handoff's card say so, in the caller's transaction, and while a
 * person works the chat a line at the bottom of the topic tells them where they are looking (the
 * card is at the top). A customer without a topic has nothing to show; an escalation opened later
 * names the topic and draws the card from the state as it is then. `occurrence` makes each change
 * once-only.
 */
export async function showReachInTopic(
  tx: Tx,
  deps: ServiceDependencies,
  input: { chatId: bigint; reach: "unreachable" | "reachable"; occurrence: string; now: Date },
) {
  const group = deps.config().managers.groupChatId;
  if (group === null) return;
  const topic = await findSupportTopic(tx, input.chatId);
  if (!topic?.threadId) return;
  const key = `reach:${input.chatId}:${input.occurrence}`;
  await enqueueHandoffMessage(
    tx,
    group,
    { kind: "handoff.topic_title", customerChatId: String(input.chatId) },
    { key: `${key}:title`, now: input.now },
  );
  const handoff = await findActiveHandoff(tx, input.chatId);
  if (!handoff) return;
  const { orderId } = handoff;
  await enqueueHandoffMessage(tx, group, { kind: "handoff.card", handoffId: handoff.id }, { key: `${key}:card`, now: input.now, orderId });
  await enqueueHandoffMessage(
    tx,
    group,
    {
      kind: "handoff.topic_text",
      customerChatId: String(input.chatId),
      key: input.reach === "unreachable" ? "handoff.managers.topic.blocked" : "handoff.managers.topic.reachableAgain",
    },
    { key: `${key}:line`, now: input.now, orderId },
  );
}
