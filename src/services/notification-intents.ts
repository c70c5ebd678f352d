import { z } from "zod";
import type { AutomaticMessageKind } from "../config/notifications-config.js";
import { deliveryStatuses } from "../domain/delivery-status-flow.js";

// The statuses and their rules live in the domain; re-exported for the senders and jobs.
export { deliveryStatuses, finalDeliveryStatuses, type DeliveryStatus } from "../domain/delivery-status-flow.js";

const orderId = z.string().min(1);

/**
 * What the bot says on its own after the read-back, as data (like TelegramIntent): stored in the
 * outbox and rendered by src/flows/notifications when sent, from the order as it is then. The
 * schema is the one source: the outbox channel parses a stored intent with it.
 */
export const notificationIntentSchemas = {
  "notify.nudge": z.object({ kind: z.literal("notify.nudge"), orderId, n: z.int() }),
  "notify.delivery_reminder": z.object({
    kind: z.literal("notify.delivery_reminder"),
    orderId,
    date: z.string(),
    window: z.string().nullable(),
  }),
  "notify.status": z.object({ kind: z.literal("notify.status"), orderId, status: z.enum(deliveryStatuses), seq: z.int() }),
  "notify.pickup_storage": z.object({ kind: z.literal("notify.pickup_storage"), orderId, storageUntil: z.string() }),
  "notify.quiet_parcel": z.object({ kind: z.literal("notify.quiet_parcel"), orderId, days: z.int(), seq: z.int() }),
  /** The shop announced a later date before the promised one was due. */
  "notify.promise_moved": z.object({ kind: z.literal("notify.promise_moved"), orderId, from: z.string(), to: z.string() }),
  /** `estimate`: the date broken was the bot's estimate (post), not a date agreed or announced. */
  "notify.promise_broken": z.object({
    kind: z.literal("notify.promise_broken"),
    orderId,
    promisedDate: z.string(),
    newEstimate: z.string().nullable(),
    estimate: z.literal(true).optional(),
  }),
  "notify.auto_cancelled": z.object({ kind: z.literal("notify.auto_cancelled"), orderId }),
} as const;

export type NotificationIntent = z.infer<(typeof notificationIntentSchemas)[keyof typeof notificationIntentSchemas]>;

export type NotificationKind = NotificationIntent["kind"];

const isNotificationKind = (kind: string): kind is NotificationKind => Object.hasOwn(notificationIntentSchemas, kind);

/** A stored intent, parsed by its kind's schema; null when it is no (valid) notification. */
export function parseNotificationIntent(value: unknown): NotificationIntent | null {
  const kind = typeof value === "object" && value !== null && "kind" in value ? value.kind : undefined;
  if (typeof kind !== "string" || !isNotificationKind(kind)) return null;
  const parsed = notificationIntentSchemas[kind].safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Which owner setting governs an intent while a manager has the chat (`whileManagerHasChat`);
 * null: it always goes out. The apology for a broken promise is queued just before the chat is
 * handed to a manager: it is the bot's last word, saying that a person takes over.
 */
export function automaticKindOf(intent: NotificationIntent): AutomaticMessageKind | null {
  switch (intent.kind) {
    case "notify.nudge":
      return "nudge";
    case "notify.delivery_reminder":
    case "notify.pickup_storage":
      return "delivery_reminder";
    case "notify.status":
    case "notify.promise_moved":
      return "status_update";
    case "notify.quiet_parcel":
      return "quiet_parcel";
    case "notify.auto_cancelled":
      return "auto_cancel";
    case "notify.promise_broken":
      return null;
  }
}
