import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../../src/db/create-prisma-client.js";
import { enqueueOutbox } from "../../src/outbox/enqueue-outbox.js";
import { createOutboxDispatcher, type OutboxDispatcher, type TelegramOutboxMessage } from "../../src/outbox/outbox-dispatcher.js";
import { systemClock } from "../../src/shared/clock.js";
import { createTestDatabase, DATABASE_PROVIDERS, postgresServerUrl, type TestDatabase } from "../support/test-database.js";
import { FAST_LIMITS, capturingLogger, startReceiver } from "./outbox-test-kit.js";

// Two instances = two dispatchers with their own database clients (connection pools) on one database.
for (const provider of DATABASE_PROVIDERS) {
  // Like describeEachDatabase: skipped (the global setup gives the notice) only when no PostgreSQL is available outside CI.
  describe.skipIf(provider === "postgresql" && !postgresServerUrl())(`two instances sharing one database on ${provider}`, () => {
    let database: TestDatabase;
    let secondClient: Db;

    beforeAll(async () => {
      database = await createTestDatabase(provider);
      secondClient = await createPrismaClient(database.url);
    });
    afterAll(async () => {
      await secondClient?.$disconnect();
      await database?.close();
    });

    it("should deliver each of 200 messages exactly once, each chat in order", async () => {
      const receiver = await startReceiver();
      const deliveries: Array<{ id: string; chatId: bigint; seq: number; by: string }> = [];
      const chats = 40;
      const perChat = 4;
      const webhooks = 40;
      const now = systemClock.now();
      await database.db.$transaction(async (tx) => {
        for (let seq = 0; seq < perChat; seq++) {
          for (let chat = 0; chat < chats; chat++) {
            const chatId = chat % 5 === 0 ? -(1000n + BigInt(chat)) : 1000n + BigInt(chat);
            await enqueueOutbox(tx, { channel: "telegram", chatId, intent: { seq } }, { idempotencyKey: `race:tg:${chat}:${seq}`, now });
          }
        }
        for (let n = 0; n < webhooks; n++) {
          await enqueueOutbox(tx, { channel: "webhook", event: "order.changed", data: { n } }, { idempotencyKey: `race:wh:${n}`, now });
        }
      });
      const total = chats * perChat + webhooks;
      expect(await database.db.outboxMessage.count()).toBe(total);

      // Both instances must do part of the work, or this tests no race. In the first round A claims
      // a batch and holds it (its deliveries wait) until B, started only once A holds its rows,
      // has claimed other rows and delivered one: B's claim must pass over rows A has leased.
      let aHolds!: () => void;
      const aClaimed = new Promise<void>((resolve) => (aHolds = resolve));
      let bDelivered!: () => void;
      const firstOfB = new Promise<void>((resolve) => (bDelivered = resolve));
      const dispatcherFor = (db: Db, name: string): OutboxDispatcher =>
        createOutboxDispatcher({
          db,
          clock: systemClock,
          logger: capturingLogger().logger,
          instanceId: name,
          telegram: {
            async deliver(message: TelegramOutboxMessage) {
              if (name === "instance-a") {
                aHolds();
                await firstOfB;
              }
              deliveries.push({ id: message.id, chatId: message.chatId, seq: (message.intent as { seq: number }).seq, by: name });
              if (name === "instance-b") bDelivered();
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
            },
          },
          webhook: { url: receiver.url, secret: "s" },
          rateLimits: FAST_LIMITS,
          batchSize: 25,
          maxPerChat: 2,
        });
      const a = dispatcherFor(database.db, "instance-a");
      const b = dispatcherFor(secondClient, "instance-b");
      // Then rounds in which both instances start a pass at the same moment, so their claims
      // collide (each goes first in every other round).
      try {
        const firstOfA = a.runOnce();
        await aClaimed;
        await Promise.all([firstOfA, b.runOnce()]);
        const deadline = Date.now() + 20_000;
        for (let round = 0; (await database.db.outboxMessage.count({ where: { status: { not: "sent" } } })) > 0; round++) {
          if (Date.now() > deadline) throw new Error("rows left undelivered");
          await Promise.all(round % 2 === 0 ? [a.runOnce(), b.runOnce()] : [b.runOnce(), a.runOnce()]);
        }
      } finally {
        await receiver.close();
      }

      const telegramIds = deliveries.map((d) => d.id);
      expect(new Set(telegramIds).size).toBe(chats * perChat);
      expect(telegramIds).toHaveLength(chats * perChat);
      const webhookIds = receiver.received.map((r) => r.headers["x-ordergram-delivery"]);
      expect(new Set(webhookIds).size).toBe(webhooks);
      expect(webhookIds).toHaveLength(webhooks);
      for (let chat = 0; chat < chats; chat++) {
        const chatId = chat % 5 === 0 ? -(1000n + BigInt(chat)) : 1000n + BigInt(chat);
        expect(deliveries.filter((d) => d.chatId === chatId).map((d) => d.seq)).toEqual([0, 1, 2, 3]);
      }
      // Both instances did part of the work (otherwise this did not test a race).
      const byA = deliveries.filter((d) => d.by === "instance-a").length;
      expect(byA).toBeGreaterThan(0);
      expect(byA).toBeLessThan(deliveries.length);
    });
  });
}
