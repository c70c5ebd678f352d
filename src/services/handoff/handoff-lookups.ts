import { findHandoff, findTopicByThread, type HandoffRecord } from "../../db/handoff-repository.js";
import type { ServiceDependencies } from "../service-dependencies.js";

// Reads the managers' flow needs to answer a tap or a message in a topic, through services.

/** The handoff, or null when there is none with this id. */
export function handoffById(deps: ServiceDependencies, handoffId: string): Promise<HandoffRecord | null> {
  return findHandoff(deps.db, handoffId);
}

/** The customer (private chat id) a forum topic of the managers' group belongs to; null when it is not a customer's. */
export async function customerOfTopic(deps: ServiceDependencies, groupChatId: bigint, threadId: number): Promise<bigint | null> {
  const topic = await findTopicByThread(deps.db, groupChatId, threadId);
  return topic?.chatId ?? null;
}
