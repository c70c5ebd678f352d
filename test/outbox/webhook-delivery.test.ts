import { afterEach, beforeEach, expect, it } from "vitest";
import { listOutbox, retryOutboxMessage } from "../../src/outbox/outbox-queries.js";
import { verifyWebhookSignature } from "../../src/outbox/webhook-signature.js";
import { describeEachDatabase } from "../support/test-database.js";
import { enqueue, START, startReceiver, testDispatcher } from "./outbox-test-kit.js";

const secret = "whsec_shop";
const order = { id: "ord_7", state: "confirmed", items: [{ sku: "TEA-1", quantity: 2 }], totalMinor: "900" };

describeEachDatabase("webhook delivery", (getDb) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

  beforeEach(async () => {
    await getDb().outboxMessage.deleteMany();
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it("should deliver a signed webhook that the shop can verify, and mark it sent", async () => {
    receiver = await startReceiver();
    const { dispatcher, clock } = testDispatcher(getDb(), { webhook: { url: receiver.url, secret } });
    const id = await enqueue(getDb(), { channel: "webhook", orderId: "ord_7", event: "order.confirmed", data: order }, clock.now());

    expect(await dispatcher.runOnce()).toBe(1);

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    if (!request) throw new Error("no request");
    const header = (name: string) => request.headers[name.toLowerCase()] as string | undefined;
    expect(header("X-Ordergram-Event")).toBe("order.confirmed");
    expect(header("X-Ordergram-Delivery")).toBe(id);
    expect(header("X-Ordergram-Timestamp")).toBe(String(Date.parse(START) / 1000));
    expect(JSON.parse(request.rawBody)).toEqual({
      id,
      type: "order.confirmed",
      createdAt: START,
      timestamp: Date.parse(START) / 1000,
      data: order,
    });
    const check = (rawBody: string) =>
      verifyWebhookSignature({
        rawBody,
        signatureHeader: header("X-Ordergram-Signature"),
        timestampHeader: header("X-Ordergram-Timestamp"),
        secret,
        now: clock.now(),
      });
    expect(check(request.rawBody)).toBe(true);
    expect(check(request.rawBody.replace('"quantity":2', '"quantity":20'))).toBe(false);

    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "sent",
      attempts: 1,
      sentAt: clock.now(),
      lastError: null,
      leasedUntil: null,
    });
  });

  it("should retry a receiver that answers 500 and deliver on the third attempt under the same delivery id", async () => {
    receiver = await startReceiver((index) => (index < 2 ? 500 : 200));
    const { dispatcher, clock } = testDispatcher(getDb(), {
      webhook: { url: receiver.url, secret },
      retry: { baseDelayMs: 1000, maxDelayMs: 1000 },
    });
    const id = await enqueue(getDb(), { channel: "webhook", event: "order.changed", data: order }, clock.now());

    await dispatcher.runOnce();
    const afterFirst = await getDb().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(afterFirst).toMatchObject({ status: "pending", attempts: 1, lastError: "webhook answered HTTP 500: receiver says no" });
    expect(afterFirst.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(await dispatcher.runOnce()).toBe(0); // not due yet

    clock.advance(1000);
    await dispatcher.runOnce();
    clock.advance(1000);
    await dispatcher.runOnce();

    expect(receiver.received).toHaveLength(3);
    expect(receiver.received.map((r) => r.headers["x-ordergram-delivery"])).toEqual([id, id, id]);
    // Signed anew at each attempt, with that attempt's time.
    const timestamps = receiver.received.map((r) => Number(r.headers["x-ordergram-timestamp"]));
    expect(timestamps).toEqual([0, 1, 2].map((s) => Date.parse(START) / 1000 + s));
    for (const r of receiver.received) {
      expect(
        verifyWebhookSignature({
          rawBody: r.rawBody,
          signatureHeader: r.headers["x-ordergram-signature"] as string,
          timestampHeader: r.headers["x-ordergram-timestamp"] as string,
          secret,
          now: clock.now(),
        }),
      ).toBe(true);
    }
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "sent",
      attempts: 3,
      lastError: null,
    });
  });

  it("should deliver an order's webhooks in the order they happened, even when the first needs a retry", async () => {
    // The first order.changed fails; everything else succeeds.
    let changedSeen = 0;
    receiver = await startReceiver((_index, request) =>
      request.rawBody.includes('"type":"order.changed"') && changedSeen++ === 0 ? 500 : 200,
    );
    const { dispatcher, clock } = testDispatcher(getDb(), {
      webhook: { url: receiver.url, secret },
      retry: { baseDelayMs: 1000, maxDelayMs: 1000 },
    });
    await enqueue(getDb(), { channel: "webhook", orderId: "ord_seq", event: "order.changed", data: order }, clock.now());
    clock.advance(1);
    await enqueue(getDb(), { channel: "webhook", orderId: "ord_seq", event: "order.confirmed", data: order }, clock.now());
    await enqueue(getDb(), { channel: "webhook", orderId: "ord_other", event: "order.cancelled", data: order }, clock.now());

    await dispatcher.runOnce();
    await dispatcher.runOnce();
    // Another order's webhook does not wait; this order's second one does.
    const events = () => receiver!.received.map((r) => `${(JSON.parse(r.rawBody) as { type: string }).type}`);
    expect(events().sort()).toEqual(["order.cancelled", "order.changed"]);
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await dispatcher.runOnce();
    }
    expect(events()).toEqual(expect.arrayContaining(["order.cancelled"]));
    expect(events().filter((e) => e !== "order.cancelled")).toEqual(["order.changed", "order.changed", "order.confirmed"]);
  });

  it("should give up after maxAttempts, show the failure in the API list, and deliver again after a manual retry", async () => {
    let healthy = false;
    receiver = await startReceiver(() => (healthy ? 204 : 503));
    const { dispatcher, clock } = testDispatcher(getDb(), {
      webhook: { url: receiver.url, secret },
      retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 1000 },
    });
    const id = await enqueue(getDb(), { channel: "webhook", orderId: "ord_9", event: "order.cancelled", data: order }, clock.now());

    for (let i = 0; i < 5; i++) {
      await dispatcher.runOnce();
      clock.advance(1000);
    }
    expect(receiver.received).toHaveLength(3);
    const [failed] = await listOutbox(getDb(), { channel: "webhook", status: "failed", limit: 10 });
    expect(failed).toMatchObject({ id, orderId: "ord_9", kind: "order.cancelled", status: "failed", attempts: 3 });
    expect(failed?.lastError).toBe("gave up after 3 attempts: webhook answered HTTP 503: receiver says no");
    expect(await listOutbox(getDb(), { orderId: "ord_9", limit: 10 })).toHaveLength(1);
    expect(await listOutbox(getDb(), { status: "pending", limit: 10 })).toHaveLength(0);

    healthy = true;
    expect(await retryOutboxMessage(getDb(), id, clock.now())).toEqual({ type: "requeued" });
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", attempts: 0 });
    await dispatcher.runOnce();
    expect(receiver.received).toHaveLength(4);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sent", attempts: 1 });
    expect(await retryOutboxMessage(getDb(), id, clock.now())).toEqual({ type: "not-failed", status: "sent" });
    expect(await retryOutboxMessage(getDb(), "no-such-id", clock.now())).toEqual({ type: "not-found" });
  });

  it("should stop at once when the shop answers 410 Gone", async () => {
    receiver = await startReceiver(() => 410);
    const { dispatcher, clock } = testDispatcher(getDb(), { webhook: { url: receiver.url, secret } });
    const id = await enqueue(getDb(), { channel: "webhook", event: "order.confirmed", data: order }, clock.now());
    await dispatcher.runOnce();
    clock.advance(24 * 3600_000);
    await dispatcher.runOnce();
    expect(receiver.received).toHaveLength(1);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "webhook answered HTTP 410: receiver says no",
    });
  });

  it("should retry a receiver that does not answer within the timeout", async () => {
    receiver = await startReceiver((index) => (index === 0 ? "hang" : 200));
    const { dispatcher, clock } = testDispatcher(getDb(), {
      webhook: { url: receiver.url, secret, timeoutMs: 200 },
      retry: { baseDelayMs: 1000, maxDelayMs: 1000 },
    });
    const id = await enqueue(getDb(), { channel: "webhook", event: "order.confirmed", data: order }, clock.now());
    await dispatcher.runOnce();
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "webhook request failed: timed out after 200 ms",
    });
    clock.advance(1000);
    await dispatcher.runOnce();
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("should keep webhooks pending, and warn once, while no webhook URL is configured", async () => {
    const { dispatcher, clock, logLines } = testDispatcher(getDb(), { webhook: { url: null, secret: null } });
    const id = await enqueue(getDb(), { channel: "webhook", event: "order.confirmed", data: order }, clock.now());
    expect(await dispatcher.runOnce()).toBe(0);
    clock.advance(3600_000);
    expect(await dispatcher.runOnce()).toBe(0);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", attempts: 0 });
    expect(logLines.filter((line) => line.level === 40 && /no webhook URL/.test(line.msg))).toHaveLength(1);
  });
});
