import { z } from "zod";

const orderId = z.string().min(1);
/** The customer's Telegram language when they acted (one input of the message's language). */
const telegramLanguage = z.string().min(1).max(35).optional();

/**
 * What the bot is to say on its own about an order's dialog, as data: the outbox stores these and
 * the bot layer renders them into a message when they are sent (so a message that waited shows
 * the order as it is then). The schemas are the one source: the outbox channel parses with them.
 */
export const orderIntentSchemas = {
  /** The order's read-back: "new", the first message about the order; "updated", the shop changed it. */
  "order.read_back": z.object({ kind: z.literal("order.read_back"), orderId: z.string(), reason: z.enum(["new", "updated"]) }),
  /**
   * The customer's visible answer to a change they made (a tap, a typed address, a form): owed
   * like any other message, so a crash between the commit and the edit still shows it.
   */
  "order.dialog_view": z.object({
    kind: z.literal("order.dialog_view"),
    orderId,
    /** The dialog's version the change produced: a view of a newer one makes this one moot. */
    version: z.int().min(0),
    /** The order's dialog message when the change was made (null: none yet). */
    messageId: z.int().positive().nullable(),
    /** edit: the customer acted on that message, shown in place; send: as a new message. */
    how: z.enum(["edit", "send"]),
    /** What the dialog's message opens with, besides the order: why it changed under the customer. */
    opening: z.union([
      z.enum(["none", "stock_changed"]),
      z.object({ type: z.literal("slot_passed"), date: z.string(), window: z.string() }),
    ]),
    telegramLanguage,
  }),
  /** "Talk to a person": the promise that one will answer. */
  "order.human_requested": z.object({ kind: z.literal("order.human_requested"), orderId, version: z.int().min(0), telegramLanguage }),
} as const;

export type TelegramIntent = z.infer<(typeof orderIntentSchemas)["order.read_back"]>;

export const readBackIntent = (orderId: string, reason: "new" | "updated"): TelegramIntent => ({
  kind: "order.read_back",
  orderId,
  reason,
});

export type DialogAnswerIntent = z.infer<(typeof orderIntentSchemas)["order.dialog_view" | "order.human_requested"]>;

/** What the dialog's message opens with, besides the order: why it changed under the customer. */
export type DialogViewOpening = z.infer<(typeof orderIntentSchemas)["order.dialog_view"]>["opening"];
