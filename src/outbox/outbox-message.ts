import type { JsonValue } from "../shared/json-value.js";

export type { JsonValue };

export type OutboxChannel = "telegram" | "webhook";

/**
 * pending: waiting for its time (nextAttemptAt); sending: leased by a dispatcher (leasedBy,
 * leasedUntil); sent: delivered; skipped: the bot layer decided at send time that it no longer
 * applies (lastError says why); failed: given up on (lastError says why), visible in the API.
 */
export type OutboxStatus = "pending" | "sending" | "sent" | "skipped" | "failed";

/** What a caller puts in the outbox. */
export type OutboxEntry =
  | {
      channel: "telegram";
      chatId: bigint;
      orderId?: string;
      /**
       * Opaque to the outbox (e.g. `{ kind: "order.read_back", orderId }`): the bot layer renders it
       * into a real message at send time, so a message queued at night shows the order as it is
       * when it goes out.
       */
      intent: JsonValue;
      /**
       * Something the bot says on its own: bound to the shop's contact hours, so a retry that
       * would fall outside them waits for the next opening (see the dispatcher's nextContactTime).
       */
      withinContactHours?: boolean;
    }
  | {
      channel: "webhook";
      orderId?: string;
      /** "order.confirmed", "order.changed", "customer.unreachable", ... */
      event: string;
      /** The event's data, e.g. the full order as it now stands. */
      data: JsonValue;
    };

/** The payload column, per channel. */
export type TelegramPayload = { intent: JsonValue; withinContactHours?: true };
export type WebhookPayload = { event: string; data: JsonValue };

export function toPayload(entry: OutboxEntry): TelegramPayload | WebhookPayload {
  if (entry.channel === "webhook") return { event: entry.event, data: entry.data };
  return entry.withinContactHours ? { intent: entry.intent, withinContactHours: true } : { intent: entry.intent };
}

export function telegramPayloadOf(payload: unknown): TelegramPayload {
  const intent = isRecord(payload) && "intent" in payload ? (payload.intent as JsonValue) : null;
  return isRecord(payload) && payload.withinContactHours === true ? { intent, withinContactHours: true } : { intent };
}

export function webhookPayloadOf(payload: unknown): WebhookPayload {
  if (!isRecord(payload) || typeof payload.event !== "string") {
    throw new Error("webhook outbox row without an event in its payload");
  }
  return { event: payload.event, data: (payload.data ?? null) as JsonValue };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
