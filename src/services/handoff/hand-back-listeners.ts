import type { HandoffRecord } from "../../db/handoff-repository.js";
import type { Tx } from "../../db/transaction.js";
import { onChatBackWithBot } from "../resume-follow-ups.js";
import { releaseHeldReturnMessages } from "../returns/held-return-messages.js";
import type { ServiceDependencies } from "../service-dependencies.js";

/**
 * The chat is the bot's again: a manager handed it back or closed it (end-handoff.ts). One event
 * for everything that reacts to it, so ending a handoff does not need to know who held what back.
 */
export interface ChatBackWithBot {
  type: "chat_back_with_bot";
  /** The handoff that ended (state "ended", `endedHow` says how). */
  handoff: HandoffRecord;
  now: Date;
}

/** A reaction to the chat coming back to the bot, run in the transaction that ends the handoff. */
export type HandBackListener = (tx: Tx, event: ChatBackWithBot, deps: ServiceDependencies) => Promise<void>;

/** Every reaction, in the order they run: the one place to add another. */
const handBackListeners: readonly HandBackListener[] = [
  // Nudges, status news and reminders the person's time held back are planned again, in a job
  // after the commit (src/services/resume-follow-ups.ts).
  (tx, { handoff, now }) => onChatBackWithBot(tx, { chatId: handoff.chatId, handoffId: handoff.id, since: handoff.createdAt, now }),
  // The shop's news about a return, held while a person had the chat, goes out now.
  async (tx, { handoff, now }, deps) => {
    await releaseHeldReturnMessages(tx, deps, { chatId: handoff.chatId, now });
  },
];

/** Tells every listener that the chat is the bot's again, in the caller's transaction. */
export async function emitChatBackWithBot(tx: Tx, deps: ServiceDependencies, event: Omit<ChatBackWithBot, "type">): Promise<void> {
  for (const listener of handBackListeners) await listener(tx, { type: "chat_back_with_bot", ...event }, deps);
}
