import { findActiveHandoff, findRelay, findTopicByThread, rememberCustomerText } from "../../db/handoff-repository.js";
import { withTransaction } from "../../db/transaction.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage, type RelayContent } from "./handoff-intents.js";
import type { Manager } from "./manager.js";

/** A message as the relay needs it: where it is, and its text (or caption) if it has one. */
export interface RelayedSource {
  chatId: bigint;
  messageId: number;
  text: string | null;
  content: RelayContent;
}

export type CustomerRelayResult = { type: "relayed" } | { type: "bot_has_chat" };

/**
 * A customer writes while the chat is with people (waiting or taken): the message is queued for
 * their topic, never answered by the bot. Queued, not sent from here: the group's limit (about
 * 20 messages a minute) is the outbox's to keep, and a busy group must not slow this chat.
 */
export async function relayCustomerMessage(deps: ServiceDependencies, source: RelayedSource): Promise<CustomerRelayResult> {
  const now = deps.clock.now();
  const result = await withTransaction(deps.db, async (tx): Promise<CustomerRelayResult> => {
    const handoff = await findActiveHandoff(tx, source.chatId);
    if (!handoff) return { type: "bot_has_chat" };
    const group = deps.config().managers.groupChatId;
    if (group === null) return { type: "relayed" };
    if (source.text) await rememberCustomerText(tx, source.chatId, group, source.text, now);
    await enqueueHandoffMessage(
      tx,
      group,
      {
        kind: "handoff.relay_in",
        handoffId: handoff.id,
        fromChatId: String(source.chatId),
        messageId: source.messageId,
        text: source.text,
        content: source.content,
      },
      { key: `relay:${source.chatId}:${source.messageId}`, now, orderId: handoff.orderId },
    );
    return { type: "relayed" };
  });
  if (result.type === "relayed") deps.outbox.kick();
  return result;
}

export type ManagerRelayResult =
  | { type: "relayed" }
  | { type: "not_a_customer_topic" }
  /** Nobody has taken the chat: Take first. */
  | { type: "take_first"; customerChatId: bigint }
  /** Another manager owns the chat: only their messages reach the customer. */
  | { type: "someone_else"; by: string; customerChatId: bigint }
  /** The chat is the bot's again (handed back or closed). */
  | { type: "not_with_people"; customerChatId: bigint };

/** A manager writes in a customer's topic: it reaches the customer only from the chat's owner. */
export async function relayManagerMessage(
  deps: ServiceDependencies,
  input: { source: RelayedSource; threadId: number; manager: Manager },
): Promise<ManagerRelayResult> {
  const now = deps.clock.now();
  const { source, manager } = input;
  const result = await withTransaction(deps.db, async (tx): Promise<ManagerRelayResult> => {
    const topic = await findTopicByThread(tx, source.chatId, input.threadId);
    if (!topic) return { type: "not_a_customer_topic" };
    const customerChatId = topic.chatId;
    const handoff = await findActiveHandoff(tx, customerChatId);
    // Not sent: the manager is told why, in the topic (through the outbox, paced with the group).
    const refuse = async (key: string, params: Record<string, string> = {}) =>
      enqueueHandoffMessage(
        tx,
        source.chatId,
        { kind: "handoff.topic_text", customerChatId: String(customerChatId), key, params },
        { key: `refused:${source.chatId}:${source.messageId}`, now },
      );
    if (!handoff) {
      await refuse("handoff.managers.topic.notWithPeople");
      return { type: "not_with_people", customerChatId };
    }
    if (handoff.state === "waiting") {
      await refuse("handoff.managers.topic.takeFirst");
      return { type: "take_first", customerChatId };
    }
    if (handoff.managerId !== manager.id) {
      await refuse("handoff.managers.topic.someoneElse", { managerName: handoff.managerName ?? "?" });
      return { type: "someone_else", by: handoff.managerName ?? "?", customerChatId };
    }
    await enqueueHandoffMessage(
      tx,
      customerChatId,
      {
        kind: "handoff.relay_out",
        handoffId: handoff.id,
        fromChatId: String(source.chatId),
        messageId: source.messageId,
        text: source.text,
        content: source.content,
      },
      { key: `relay:${source.chatId}:${source.messageId}`, now, orderId: handoff.orderId },
    );
    return { type: "relayed" };
  });
  if (result.type !== "not_a_customer_topic") deps.outbox.kick();
  return result;
}

/** Someone edited a message that was relayed: the copy is edited the same way. */
export async function relayEdit(
  deps: ServiceDependencies,
  input: { source: RelayedSource; editDate: number; managerName?: string },
): Promise<"queued" | "not_relayed"> {
  const now = deps.clock.now();
  const { source } = input;
  if (source.text === null) return "not_relayed";
  const queued = await withTransaction(deps.db, async (tx) => {
    const relay = await findRelay(tx, source.chatId, source.messageId);
    if (!relay || relay.editAs === "none") return false;
    return enqueueHandoffMessage(
      tx,
      relay.toChatId,
      {
        kind: "handoff.relay_edit",
        fromChatId: String(source.chatId),
        messageId: source.messageId,
        text: source.text!,
        ...(input.managerName ? { managerName: input.managerName } : {}),
      },
      { key: `edit:${source.chatId}:${source.messageId}:${input.editDate}`, now },
    );
  });
  if (queued) deps.outbox.kick();
  return queued ? "queued" : "not_relayed";
}
