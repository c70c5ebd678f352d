/**
 * What the bot is to say on its own, as data: the outbox stores these and the bot layer renders
 * them into a message when they are sent (so a message that waited shows the order as it is then).
 */
export type TelegramIntent = {
  kind: "order.read_back";
  orderId: string;
  /** "new": first message about the order; "updated": the shop changed it. */
  reason: "new" | "updated";
};

export const readBackIntent = (orderId: string, reason: "new" | "updated"): TelegramIntent => ({
  kind: "order.read_back",
  orderId,
  reason,
});

/** What the dialog's message opens with, besides the order: why it changed under the customer. */
export type DialogViewOpening = "none" | "stock_changed" | { type: "slot_passed"; date: string; window: string };

/**
 * The customer's visible answer to a change they made (a tap, a typed address, a form): owed
 * like any other message, so a crash between the commit and the edit still shows it.
 */
export type DialogAnswerIntent =
  | {
      kind: "order.dialog_view";
      orderId: string;
      /** The dialog's version the change produced: a view of a newer one makes this one moot. */
      version: number;
      /** The order's dialog message when the change was made (null: none yet). */
      messageId: number | null;
      /** edit: the customer acted on that message, shown in place; send: as a new message. */
      how: "edit" | "send";
      opening: DialogViewOpening;
      /** The customer's Telegram language when they acted (one input of the message's language). */
      telegramLanguage?: string;
    }
  | { kind: "order.human_requested"; orderId: string; version: number; telegramLanguage?: string };
