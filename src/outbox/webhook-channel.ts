import { DeliveryError } from "./delivery-error.js";
import type { JsonValue } from "./outbox-message.js";
import { WEBHOOK_HEADERS, signWebhookBody } from "./webhook-signature.js";

/** One webhook row, as the dispatcher hands it over. */
export interface WebhookOutboxMessage {
  /** The outbox row id, sent as X-Ordergram-Delivery and as the body's `id`. */
  id: string;
  event: string;
  data: JsonValue;
  createdAt: Date;
  attempt: number;
}

/** What the shop receives. `timestamp` equals the X-Ordergram-Timestamp header. */
export interface WebhookBody {
  id: string;
  type: string;
  createdAt: string;
  timestamp: number;
  data: JsonValue;
}

export interface WebhookChannelOptions {
  url: string;
  secret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** The request for one attempt: signed anew each time, with the send time in body and header. */
export function buildWebhookRequest(
  message: Pick<WebhookOutboxMessage, "id" | "event" | "data" | "createdAt">,
  secret: string,
  now: Date,
): { body: string; headers: Record<string, string> } {
  const timestamp = Math.floor(now.getTime() / 1000);
  const payload: WebhookBody = {
    id: message.id,
    type: message.event,
    createdAt: message.createdAt.toISOString(),
    timestamp,
    data: message.data,
  };
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "ordergram-webhooks",
      [WEBHOOK_HEADERS.event]: message.event,
      [WEBHOOK_HEADERS.delivery]: message.id,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signWebhookBody(body, secret),
    },
  };
}

/**
 * Delivers one webhook: 2xx = delivered; 410 Gone = the shop wants no more (permanent); anything
 * else (other statuses, redirects, timeouts, network errors) = retry, honouring Retry-After.
 */
export function createWebhookChannel(options: WebhookChannelOptions): {
  deliver(message: WebhookOutboxMessage, now: Date): Promise<void>;
} {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  return {
    async deliver(message, now) {
      const { body, headers } = buildWebhookRequest(message, options.secret, now);
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: "POST",
          headers,
          body,
          // A redirected POST may turn into a GET; a moved endpoint is a configuration matter.
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason =
          error instanceof Error ? (error.name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : error.message) : String(error);
        throw new DeliveryError("retry", `webhook request failed: ${reason}`, { cause: error });
      }
      // Read (and so release) the body; keep a little of it for lastError.
      const text = await response.text().catch(() => "");
      if (response.status >= 200 && response.status < 300) return;
      const detail = `webhook answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
      if (response.status === 410) throw new DeliveryError("permanent", detail);
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now);
      throw new DeliveryError("retry", detail, retryAfterMs === undefined ? {} : { retryAfterMs });
    },
  };
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. Capped at a day. */
function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - now.getTime();
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return Math.min(ms, 24 * 60 * 60 * 1000);
}
