import { describe, expect, it } from "vitest";
import { buildWebhookRequest } from "../../src/outbox/webhook-channel.js";
import { signWebhookBody, verifyWebhookSignature } from "../../src/outbox/webhook-signature.js";

const secret = "whsec_test";
const now = new Date("2026-11-23T10:00:00.000Z");
const request = buildWebhookRequest({ id: "msg_1", event: "order.confirmed", data: { id: "ord_1" }, createdAt: now }, secret, now);
const headers = (name: string) => request.headers[name] ?? null;
const verify = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) =>
  verifyWebhookSignature({
    rawBody: request.body,
    signatureHeader: headers("X-Ordergram-Signature"),
    timestampHeader: headers("X-Ordergram-Timestamp"),
    secret,
    now,
    ...overrides,
  });

describe("webhook signature", () => {
  it("should sign the raw body as sha256=<hex HMAC-SHA256>", () => {
    // echo -n '{"a":1}' | openssl dgst -sha256 -hmac whsec_test
    expect(signWebhookBody('{"a":1}', secret)).toBe("sha256=51426af50a41dd7ff2cd3f116594734766d4018d15d6fb07169aee5d2959adf5");
    expect(signWebhookBody(Buffer.from('{"a":1}'), secret)).toBe(signWebhookBody('{"a":1}', secret));
  });

  it("should put the send time in the body and the header, so the signature covers it", () => {
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toEqual({
      id: "msg_1",
      type: "order.confirmed",
      createdAt: now.toISOString(),
      timestamp: now.getTime() / 1000,
      data: { id: "ord_1" },
    });
    expect(headers("X-Ordergram-Timestamp")).toBe(String(now.getTime() / 1000));
    expect(headers("X-Ordergram-Delivery")).toBe("msg_1");
    expect(headers("X-Ordergram-Event")).toBe("order.confirmed");
  });

  it("should accept a genuine request and reject tampering, a wrong secret and replays", () => {
    expect(verify()).toBe(true);
    expect(verify({ rawBody: request.body.replace("ord_1", "ord_2") })).toBe(false);
    expect(verify({ secret: "another" })).toBe(false);
    expect(verify({ signatureHeader: null })).toBe(false);
    expect(verify({ signatureHeader: "sha256=00" })).toBe(false);
    // Too old or from the future.
    expect(verify({ now: new Date(now.getTime() + 301_000) })).toBe(false);
    expect(verify({ now: new Date(now.getTime() - 301_000) })).toBe(false);
    expect(verify({ now: new Date(now.getTime() + 299_000) })).toBe(true);
    // A fresh header on an old (validly signed) body: the signed timestamp does not match.
    expect(verify({ timestampHeader: String(now.getTime() / 1000 + 60), now: new Date(now.getTime() + 60_000) })).toBe(false);
  });
});
