import { z } from "zod";

/**
 * Reaching a customer who has not opened the chat yet (config key `linking`). A Telegram bot
 * cannot write to a phone number: an order sent without the customer's Telegram id waits until
 * they open the start link or share their contact. Meanwhile the shop is told (order.unreached),
 * so its own system can send the link by SMS or e-mail, and in the end a person takes over.
 */
export const linkingConfigSchema = z
  .strictObject({
    /** The first order.unreached webhook: this many minutes of contact hours after the order arrived unlinked. */
    notifyShopAfterMinutes: z
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /**
     * Hours after which the bot stops waiting: the order is marked for a person (order.escalated
     * with reason "unreached", a notice in the managers' group). The second order.unreached goes
     * out halfway there. A customer who opens the chat later still gets the order at once.
     */
    giveUpAfterHours: z
      .int()
      .min(1)
      .max(30 * 24)
      .default(48),
  })
  .refine((linking) => linking.giveUpAfterHours * 60 > linking.notifyShopAfterMinutes, {
    error: "must be later than notifyShopAfterMinutes",
    path: ["giveUpAfterHours"],
  });

export type LinkingConfig = z.infer<typeof linkingConfigSchema>;
