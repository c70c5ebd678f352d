import {
  findActiveHandoff,
  findHandoff,
  findLatestHandoff,
  findRelay,
  findSupportTopic,
  findTopicByThread,
  recordRelay,
  setTopicClosed,
  setTopicThread,
  updateHandoff,
  type EditAs,
  type HandoffRecord,
  type SupportTopicRow,
} from "../../db/handoff-repository.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { loadHandoffCard, type HandoffCardData } from "./handoff-card-data.js";

/*
 * What the handoff's messages are rendered from when they are sent (src/flows/handoff/intents),
 * what the managers' flow reads, and the bookkeeping after Telegram accepted one: the topic's thread, the card's message, the
 * copy of a relayed message. The senders read and record through these, never the database.
 */

type Deps = Pick<ServiceDependencies, "db">;

/** What the handoff's card in the topic shows, from the state as it is now. */
export const readHandoffCard = (
  deps: Pick<ServiceDependencies, "db" | "config" | "logger">,
  handoffId: string,
): Promise<HandoffCardData | null> => loadHandoffCard(deps.db, handoffId, deps);

/** Whether a person has the customer's chat now (a handoff waiting or taken). */
export const personHasChat = async (deps: Deps, chatId: bigint): Promise<boolean> => (await findActiveHandoff(deps.db, chatId)) !== null;

export const readHandoff = (deps: Deps, handoffId: string): Promise<HandoffRecord | null> => findHandoff(deps.db, handoffId);

/** The chat's newest handoff in any state (the card a recreated topic shows). */
export const readLatestHandoff = (deps: Deps, chatId: bigint): Promise<HandoffRecord | null> => findLatestHandoff(deps.db, chatId);

/** The customer's topic in the managers' group, if one was ever opened. */
export const readSupportTopic = (deps: Deps, chatId: bigint): Promise<SupportTopicRow | null> => findSupportTopic(deps.db, chatId);

/** The customer's topic a thread of the managers' group is (a manager wrote in it). */
export const readTopicByThread = (deps: Deps, groupChatId: bigint, threadId: number): Promise<SupportTopicRow | null> =>
  findTopicByThread(deps.db, groupChatId, threadId);

/** The copy of a relayed message, to repeat an edit of the original on it. */
export const readRelay = (deps: Deps, fromChatId: bigint, fromMessageId: number) => findRelay(deps.db, fromChatId, fromMessageId);
export type RelayRecord = NonNullable<Awaited<ReturnType<typeof readRelay>>>;

/** The customer's topic is (now) this thread of the group: created, or created again. */
export const recordTopicThread = (deps: Deps, chatId: bigint, groupChatId: bigint, threadId: number): Promise<void> =>
  setTopicThread(deps.db, chatId, groupChatId, threadId);

/** The customer's topic was reopened. */
export const recordTopicReopened = (deps: Deps, chatId: bigint): Promise<void> => setTopicClosed(deps.db, chatId, false);

/** The handoff's card is this message in this thread (edited in place from now on). */
export const recordCardMessage = (deps: Deps, handoffId: string, messageId: number, threadId: number): Promise<void> =>
  updateHandoff(deps.db, handoffId, { cardMessageId: messageId, cardThreadId: threadId });

/** A relayed message's copy, so an edit of the original edits the copy. */
export const recordRelayCopy = (
  deps: Pick<ServiceDependencies, "db" | "clock">,
  input: { handoffId: string; from: { chatId: bigint; messageId: number }; toChatId: bigint; toMessageId: number; editAs: EditAs },
): Promise<void> =>
  recordRelay(deps.db, {
    handoffId: input.handoffId,
    fromChatId: input.from.chatId,
    fromMessageId: input.from.messageId,
    toChatId: input.toChatId,
    toMessageId: input.toMessageId,
    editAs: input.editAs,
    now: deps.clock.now(),
  });

export type { EditAs, HandoffRecord };
