import type { Message } from "grammy/types";
import type { RelayContent } from "../../services/handoff/handoff-intents.js";
import type { RelayedSource } from "../../services/handoff/relay-messages.js";

/** Kinds of message Telegram lets a copy carry a caption on. */
const captionable = ["photo", "document", "voice", "audio", "video", "animation"] as const;

/** A Telegram message as the relay sees it: where it is, its text or caption, and what it is. */
export function relaySource(message: Message): RelayedSource {
  const content: RelayContent =
    message.text !== undefined ? "text" : captionable.some((kind) => message[kind] !== undefined) ? "captionable" : "plain";
  return { chatId: BigInt(message.chat.id), messageId: message.message_id, text: message.text ?? message.caption ?? null, content };
}

/** "Maria Petrova": how a manager is named to the customer and on the card. */
export const displayName = (user: { first_name: string; last_name?: string }): string =>
  [user.first_name, user.last_name].filter(Boolean).join(" ");
