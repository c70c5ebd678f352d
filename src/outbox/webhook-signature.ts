import { createHmac, timingSafeEqual } from "node:crypto";

export const WEBHOOK_HEADERS = {
  event: "X-Ordergram-Event",
  /** The outbox row id: stable across retries, so the shop can drop duplicates. */
  delivery: "X-Ordergram-Delivery",
  /** Unix seconds at send time; also the body's `timestamp`, so the signature covers it. */
  timestamp: "X-Ordergram-Timestamp",
  signature: "X-Ordergram-Signature",
} as const;

/** `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function signWebhookBody(rawBody: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

export interface VerifyWebhookSignatureInput {
  rawBody: string | Uint8Array;
  signatureHeader: string | null | undefined;
  timestampHeader: string | null | undefined;
  secret: string;
  now: Date;
  toleranceSeconds?: number;
}

/**
 * For shops (and our tests): true when the signature matches the raw body (compared in constant
 * time), the timestamp header is within `toleranceSeconds` of `now`, and it equals the body's
 * signed `timestamp` (so an old body cannot be replayed under a fresh header).
 */
export function verifyWebhookSignature({
  rawBody,
  signatureHeader,
  timestampHeader,
  secret,
  now,
  toleranceSeconds = 300,
}: VerifyWebhookSignatureInput): boolean {
  if (!signatureHeader || !timestampHeader || !/^\d{1,12}$/.test(timestampHeader)) return false;
  const timestamp = Number(timestampHeader);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;

  const expected = Buffer.from(signWebhookBody(rawBody, secret));
  const actual = Buffer.from(signatureHeader.trim());
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return false;

  try {
    const text = typeof rawBody === "string" ? rawBody : Buffer.from(rawBody).toString("utf8");
    const body = JSON.parse(text) as unknown;
    return typeof body === "object" && body !== null && (body as { timestamp?: unknown }).timestamp === timestamp;
  } catch {
    return false;
  }
}
