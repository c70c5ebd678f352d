import { z } from "zod";
import type { Tx } from "../../db/transaction.js";
import { enqueueOutbox } from "../../outbox/enqueue-outbox.js";
import type { JsonValue } from "../../outbox/outbox-message.js";

const id = z.string().min(1);
/** Telegram ids are strings here (JSON has no bigint). */
const telegramId = z.string().regex(/^-?\d+$/);
/**
 * What a relayed message is: "text" (sent as text, edited with editMessageText), "captionable"
 * (photo, document, voice, video...: copied with a caption naming the sender) or "plain"
 * (location, contact, sticker...: copied as it is).
 */
const relayContent = z.enum(["text", "captionable", "plain"]);
const textParams = z.record(z.string(), z.string()).optional();

/**
 * What the handoff has the bot say, as data for the outbox; rendered into Telegram calls at send
 * time by src/flows/handoff/intents, from the state as it is then. The schemas are the one
 * source: the outbox channel parses a stored intent with its kind's schema.
 */
export const handoffIntentSchemas = {
  // ---- into the managers' group (paced as a group: about 20 a minute for all topics) ----
  /** Opens (or reopens, or recreates) the customer's topic and shows the handoff's card, or refreshes it. */
  "handoff.card": z.object({ kind: z.literal("handoff.card"), handoffId: id }),
  /** Nobody took the chat yet: the group is pinged again (n = 1, 2, ...). */
  "handoff.reping": z.object({ kind: z.literal("handoff.reping"), handoffId: id, n: z.int() }),
  /** A customer's message copied into their topic. */
  "handoff.relay_in": z.object({
    kind: z.literal("handoff.relay_in"),
    handoffId: id,
    fromChatId: telegramId,
    messageId: z.int(),
    text: z.string().nullable(),
    content: relayContent,
  }),
  /** A short line from the bot into a topic (a refusal, a hint): managers' language. */
  "handoff.topic_text": z.object({
    kind: z.literal("handoff.topic_text"),
    customerChatId: telegramId,
    key: z.string(),
    params: textParams,
  }),
  "handoff.close_topic": z.object({ kind: z.literal("handoff.close_topic"), customerChatId: telegramId }),
  /** Names the customer's topic as things are now (marked while the customer has blocked the bot). */
  "handoff.topic_title": z.object({ kind: z.literal("handoff.topic_title"), customerChatId: telegramId }),
  /** A line into the group's General topic, about something no customer's topic holds (an order whose customer never opened the chat). */
  "handoff.group_text": z.object({ kind: z.literal("handoff.group_text"), key: z.string(), params: textParams }),
  /**
   * The delivery picker in the topic: the days (date null) or a day's windows; `done` shows the
   * slot the order has now, without buttons. A new message (messageId null) or that one edited.
   */
  "handoff.delivery_picker": z.object({
    kind: z.literal("handoff.delivery_picker"),
    handoffId: id,
    date: z.iso.date().nullable(),
    messageId: z.int().nullable(),
    done: z.boolean(),
  }),
  // ---- into the customer's private chat ----
  /** Tells the customer where the handoff stands: a person will answer (when), joined, unanswered, ended (handed back or closed). */
  "handoff.notice": z.object({
    kind: z.literal("handoff.notice"),
    handoffId: id,
    what: z.enum(["opened", "taken", "unanswered", "handed_back", "closed"]),
  }),
  /** The owner's message from the topic, under the shop's and the manager's name. */
  "handoff.relay_out": z.object({
    kind: z.literal("handoff.relay_out"),
    handoffId: id,
    fromChatId: telegramId,
    messageId: z.int(),
    text: z.string().nullable(),
    content: relayContent,
  }),
  /** The dialog's message again: after a hand back, or a manager's "resend the confirmation". */
  "handoff.dialog": z.object({ kind: z.literal("handoff.dialog"), orderId: id, how: z.enum(["resume", "resend", "refresh"]) }),
  /** A manager changed the delivery from the card: the customer hears the new day and window in one line. */
  "handoff.delivery_changed": z.object({
    kind: z.literal("handoff.delivery_changed"),
    handoffId: id,
    orderId: id,
    managerName: z.string(),
  }),
  /** A manager cancelled the order from the card: the customer hears it in a new message, not only in an edit. */
  "handoff.order_cancelled": z.object({ kind: z.literal("handoff.order_cancelled"), orderId: id }),
  /** "How did we help?" with 1-5 buttons, after a hand back. */
  "handoff.rating": z.object({ kind: z.literal("handoff.rating"), handoffId: id }),
  // ---- either way ----
  /** An edit of a relayed message, repeated on its copy. */
  "handoff.relay_edit": z.object({
    kind: z.literal("handoff.relay_edit"),
    fromChatId: telegramId,
    messageId: z.int(),
    text: z.string(),
    managerName: z.string().optional(),
  }),
} as const;

export type HandoffIntentKind = keyof typeof handoffIntentSchemas;
export type HandoffIntent = z.infer<(typeof handoffIntentSchemas)[HandoffIntentKind]>;
/** One kind's intent. */
export type HandoffIntentOf<K extends HandoffIntentKind> = z.infer<(typeof handoffIntentSchemas)[K]>;
export type RelayContent = z.infer<typeof relayContent>;

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
