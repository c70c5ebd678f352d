import { beforeEach, expect, it } from "vitest";
import { enqueueOutbox } from "../../src/outbox/enqueue-outbox.js";
import { newId } from "../../src/shared/ids.js";
import { describeEachDatabase } from "../support/test-database.js";

const now = new Date("2026-11-23T10:00:00.000Z");

describeEachDatabase("enqueueOutbox", (getDb) => {
  beforeEach(async () => {
    await getDb().outboxMessage.deleteMany();
  });

  it("should write nothing when the surrounding transaction rolls back", async () => {
    const db = getDb();
    const key = `rollback:${newId()}`;
    await expect(
      db.$transaction(async (tx) => {
        await enqueueOutbox(tx, { channel: "telegram", chatId: 42n, intent: { kind: "order.read_back" } }, { idempotencyKey: key, now });
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");
    expect(await db.outboxMessage.count()).toBe(0);
  });

  it("should store a Telegram intent and a webhook event as pending rows due now or at notBefore", async () => {
    const db = getDb();
    const notBefore = new Date("2026-11-24T09:00:00.000Z");
    await db.$transaction(async (tx) => {
      await enqueueOutbox(
        tx,
        { channel: "telegram", chatId: -1001234567890123n, orderId: "ord_1", intent: { kind: "order.read_back", orderId: "ord_1" } },
        { idempotencyKey: "tg:1", now, notBefore },
      );
      await enqueueOutbox(
        tx,
        {
          channel: "webhook",
          orderId: "ord_1",
          event: "order.confirmed",
          data: { id: "ord_1", totalMinor: "1250", items: [{ sku: "TEA-1" }] },
        },
        { idempotencyKey: "wh:1", now },
      );
    });
    const telegram = await db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "tg:1" } });
    expect(telegram).toMatchObject({
      channel: "telegram",
      chatId: -1001234567890123n,
      orderId: "ord_1",
      payload: { intent: { kind: "order.read_back", orderId: "ord_1" } },
      status: "pending",
      attempts: 0,
      nextAttemptAt: notBefore,
      createdAt: now,
      lastError: null,
      leasedUntil: null,
    });
    const webhook = await db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "wh:1" } });
    expect(webhook).toMatchObject({
      channel: "webhook",
      chatId: null,
      payload: { event: "order.confirmed", data: { id: "ord_1", totalMinor: "1250", items: [{ sku: "TEA-1" }] } },
      status: "pending",
      nextAttemptAt: now,
    });
  });

  it("should keep one row for a duplicate idempotency key, without breaking the caller's transaction", async () => {
    const db = getDb();
    const results = await db.$transaction(async (tx) => {
      const first = await enqueueOutbox(
        tx,
        { channel: "webhook", event: "order.confirmed", data: { n: 1 } },
        { idempotencyKey: "dup", now },
      );
      const second = await enqueueOutbox(
        tx,
        { channel: "webhook", event: "order.confirmed", data: { n: 2 } },
        { idempotencyKey: "dup", now },
      );
      // On PostgreSQL a unique violation would have aborted the transaction: this would fail.
      const other = await enqueueOutbox(
        tx,
        { channel: "webhook", event: "order.changed", data: { n: 3 } },
        { idempotencyKey: "other", now },
      );
      return [first, second, other];
    });
    expect(results).toEqual([{ enqueued: true }, { enqueued: false }, { enqueued: true }]);
    const again = await db.$transaction((tx) =>
      enqueueOutbox(tx, { channel: "webhook", event: "order.confirmed", data: { n: 4 } }, { idempotencyKey: "dup", now }),
    );
    expect(again).toEqual({ enqueued: false });
    const rows = await db.outboxMessage.findMany({ where: { idempotencyKey: "dup" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toEqual({ event: "order.confirmed", data: { n: 1 } });
  });
});
