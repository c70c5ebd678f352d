import type { AutomaticMessageKind } from "../config/notifications-config.js";
import type { DeliveryStatus } from "../domain/delivery-status-flow.js";

// The statuses and their rules live in the domain; re-exported for the senders and jobs.
export { deliveryStatuses, finalDeliveryStatuses, type DeliveryStatus } from "../domain/delivery-status-flow.js";

/**
 * What the bot says on its own after the read-back, as data (like TelegramIntent): stored in the
 * outbox and rendered by src/flows/notifications when sent, from the order as it is then.
 */
export type NotificationIntent =
  | { kind: "notify.nudge"; orderId: string; n: number }
  | { kind: "notify.delivery_reminder"; orderId: string; date: string; window: string | null }
  | { kind: "notify.status"; orderId: string; status: DeliveryStatus; seq: number }
  | { kind: "notify.pickup_storage"; orderId: string; storageUntil: string }
  | { kind: "notify.quiet_parcel"; orderId: string; days: number; seq: number }
  /** The shop announced a later date before the promised one was due. */
  | { kind: "notify.promise_moved"; orderId: string; from: string; to: string }
  /** `estimate`: the date broken was the bot's estimate (post), not a date agreed or announced. */
  | { kind: "notify.promise_broken"; orderId: string; promisedDate: string; newEstimate: string | null; estimate?: true }
  | { kind: "notify.auto_cancelled"; orderId: string };

export type NotificationKind = NotificationIntent["kind"];

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
