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
