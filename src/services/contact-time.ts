import type { NotificationsConfig } from "../config/notifications-config.js";
import type { Tx } from "../db/transaction.js";
import { firstContactTime, nextContactTime, parseClockTime, type ContactHours } from "../domain/contact-hours.js";
import { enqueueOutbox } from "../outbox/enqueue-outbox.js";
import type { NotificationIntent } from "./notification-intents.js";
import type { ServiceDependencies } from "./service-dependencies.js";
import type { TelegramIntent } from "./telegram-intents.js";

/** The owner's contact hours, as the domain reads them. */
export const contactHoursOf = (config: NotificationsConfig): ContactHours => ({
  days: config.contactHours.days,
  openMinute: parseClockTime(config.contactHours.from)!,
  closeMinute: parseClockTime(config.contactHours.to)!,
});

/**
 * When a message the bot sends on its own to `chatId` may go out: at the next contact time (for
 * the first message about something that happened outside contact hours, spread after opening),
 * and never before a message queued earlier for the same chat, so a chat's messages keep their
 * order even when the first one was spread.
 */
export async function automaticSendTime(
  tx: Tx,
  deps: Pick<ServiceDependencies, "config">,
  input: { chatId: bigint; now: Date; firstMessageOf?: string },
): Promise<Date> {
  const config = deps.config();
  const hours = contactHoursOf(config.notifications);
  const timeZone = config.shop.timeZone;
  const contact =
    (input.firstMessageOf
      ? firstContactTime(input.now, hours, timeZone, config.notifications.contactHours.firstMessageSpreadMinutes, input.firstMessageOf)
      : nextContactTime(input.now, hours, timeZone)) ?? input.now;
  const queued = await tx.outboxMessage.findFirst({
    where: { channel: "telegram", chatId: input.chatId, status: "pending", attempts: 0, nextAttemptAt: { gt: contact } },
    orderBy: { nextAttemptAt: "desc" },
    select: { nextAttemptAt: true },
  });
  return queued ? queued.nextAttemptAt : contact;
}

/**
 * Queues a message the bot sends on its own, in the caller's transaction, for the next moment it
 * may go out (contact hours, the chat's order). The idempotency key makes a repeat a no-op.
 */
export async function enqueueAutomaticMessage(
  tx: Tx,
  deps: Pick<ServiceDependencies, "config">,
  input: {
    chatId: bigint;
    orderId: string;
    intent: NotificationIntent | TelegramIntent;
    idempotencyKey: string;
    now: Date;
    firstMessageOf?: string;
  },
): Promise<{ enqueued: boolean; sendAt: Date }> {
  const sendAt = await automaticSendTime(tx, deps, input);
  const { enqueued } = await enqueueOutbox(
    tx,
    { channel: "telegram", chatId: input.chatId, orderId: input.orderId, intent: { ...input.intent }, withinContactHours: true },
    { idempotencyKey: input.idempotencyKey, now: input.now, notBefore: sendAt },
  );
  return { enqueued, sendAt };
}
