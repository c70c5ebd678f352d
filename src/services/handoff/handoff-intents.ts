import type { Tx } from "../../db/transaction.js";
import { enqueueOutbox } from "../../outbox/enqueue-outbox.js";
import type { JsonValue } from "../../outbox/outbox-message.js";

/**
 * What the handoff has the bot say, as data for the outbox; rendered into Telegram calls at send
 * time by src/bots/handoff-telegram-renderer.ts, from the state as it is then. Telegram ids are
 * strings here (JSON has no bigint).
 */
export type HandoffIntent =
  // ---- into the managers' group (paced as a group: about 20 a minute for all topics) ----
  /** Opens (or reopens, or recreates) the customer's topic and shows the handoff's card, or refreshes it. */
  | { kind: "handoff.card"; handoffId: string }
  /** Nobody took the chat yet: the group is pinged again (n = 1, 2, ...). */
  | { kind: "handoff.reping"; handoffId: string; n: number }
  /** A customer's message copied into their topic. */
  | { kind: "handoff.relay_in"; handoffId: string; fromChatId: string; messageId: number; text: string | null; content: RelayContent }
  /** A short line from the bot into a topic (a refusal, a hint): managers' language. */
  | { kind: "handoff.topic_text"; customerChatId: string; key: string; params?: Record<string, string> }
  | { kind: "handoff.close_topic"; customerChatId: string }
  /** A line into the group's General topic, about something no customer's topic holds (an order whose customer never opened the chat). */
  | { kind: "handoff.group_text"; key: string; params?: Record<string, string> }
  /**
   * The delivery picker in the topic: the days (date null) or a day's windows; `done` shows the
   * slot the order has now, without buttons. A new message (messageId null) or that one edited.
   */
  | { kind: "handoff.delivery_picker"; handoffId: string; date: string | null; messageId: number | null; done: boolean }
  // ---- into the customer's private chat ----
  /** Tells the customer where the handoff stands: a person will answer (when), joined, unanswered. */
  | { kind: "handoff.notice"; handoffId: string; what: "opened" | "taken" | "unanswered" | "handed_back" }
  /** The owner's message from the topic, under the shop's and the manager's name. */
  | { kind: "handoff.relay_out"; handoffId: string; fromChatId: string; messageId: number; text: string | null; content: RelayContent }
  /** The dialog's message again: after a hand back, or a manager's "resend the confirmation". */
  | { kind: "handoff.dialog"; orderId: string; how: "resume" | "resend" | "refresh" }
  /** A manager changed the delivery from the card: the customer hears the new day and window in one line. */
  | { kind: "handoff.delivery_changed"; handoffId: string; orderId: string; managerName: string }
  /** A manager cancelled the order from the card: the customer hears it in a new message, not only in an edit. */
  | { kind: "handoff.order_cancelled"; orderId: string }
  /** "How did we help?" with 1-5 buttons, after a hand back. */
  | { kind: "handoff.rating"; handoffId: string }
  // ---- either way ----
  /** An edit of a relayed message, repeated on its copy. */
  | { kind: "handoff.relay_edit"; fromChatId: string; messageId: number; text: string; managerName?: string };

/**
 * What a relayed message is: "text" (sent as text, edited with editMessageText), "captionable"
 * (photo, document, voice, video...: copied with a caption naming the sender) or "plain"
 * (location, contact, sticker...: copied as it is).
 */
export type RelayContent = "text" | "captionable" | "plain";

export type HandoffIntentKind = HandoffIntent["kind"];

/** Queues a handoff message in the caller's transaction; `key` makes it once-only. */
export async function enqueueHandoffMessage(
  tx: Tx,
  chatId: bigint,
  intent: HandoffIntent,
  options: { key: string; now: Date; orderId?: string | null; notBefore?: Date; withinContactHours?: boolean },
): Promise<boolean> {
  const { enqueued } = await enqueueOutbox(
    tx,
    {
      channel: "telegram",
      chatId,
      ...(options.orderId ? { orderId: options.orderId } : {}),
      intent: intent as unknown as JsonValue,
      ...(options.withinContactHours ? { withinContactHours: true } : {}),
    },
    { idempotencyKey: `handoff:${options.key}`, now: options.now, ...(options.notBefore ? { notBefore: options.notBefore } : {}) },
  );
  return enqueued;
}
