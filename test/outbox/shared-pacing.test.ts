import { Api } from "grammy";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toOutboxDeliveryError } from "../../src/telegram/telegram-error.js";
import { createOutboxDispatcher } from "../../src/outbox/outbox-dispatcher.js";
import { createSharedPacing } from "../../src/outbox/shared-pacing.js";
import { TelegramPacer } from "../../src/outbox/telegram-pacer.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import { startTelegramStandin, type TelegramStandin } from "../../src/telegram-standin/index.js";
import { startHarness } from "../support/app-harness.js";
import { confirmedOrder, followUpConfig } from "../support/follow-up-kit.js";
import { findRedisServer, startRedisServer, type RedisServer } from "../support/redis-server.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { enqueue } from "./outbox-test-kit.js";

const token = "1234567890:TEST-token-for-the-shared-pacing-abcdef";
const logger = createLogger({ level: "silent" });
// The stand-in allows 10 messages a second for the bot; each instance is configured for 8. The
// margin is for this test's two "instances" sharing one process, where one's synchronous SQLite
// writes delay the other's requests after they got their slot.
const limits = { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 8 };
const redisInstalled = findRedisServer() !== null;
if (!redisInstalled && process.env.CI) throw new Error("CI must run the shared-pacing tests: apt-get install redis-server");

describe.skipIf(!redisInstalled)("pacing shared by several instances through Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** Two instances, each with its own queue of `perInstance` messages to chats of one bot. */
  async function twoInstancesSend(
    pacers: [TelegramPacer, TelegramPacer],
    perInstance: number,
  ): Promise<{ standin: TelegramStandin; delivered: number }> {
    const standin = await startTelegramStandin({ floodLimits: { globalPerSecond: 10 } });
    const bot = standin.addBot({ token, username: "pacing_bot", firstName: "Pacing" });
    const databases: TestDatabase[] = [];
    try {
      const api = new Api(token, { apiRoot: standin.url });
      let delivered = 0;
      const dispatchers = [];
      for (const [index, pacer] of pacers.entries()) {
        const database = await createTestDatabase("sqlite");
        databases.push(database);
        const clock = new ManualClock("2026-11-24T10:00:00Z");
        for (let i = 0; i < perInstance; i++) {
          const user = standin.addUser({ firstName: `I${index}U${i}` });
          user.record.startedBots.add(bot.id);
          await enqueue(database.db, { channel: "telegram", chatId: BigInt(user.id), intent: { n: i } }, clock.now());
        }
        dispatchers.push(
          createOutboxDispatcher({
            db: database.db,
            clock,
            logger,
            pacer,
            webhook: { url: null, secret: null },
            telegram: {
              async deliver(message) {
                await api.sendMessage(Number(message.chatId), "Your parcel is on its way.").catch((error: unknown) => {
                  throw toOutboxDeliveryError(error);
                });
                delivered++;
              },
            },
          }),
        );
      }
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.runOnce()));
      return { standin, delivered };
    } finally {
      for (const database of databases) await database.close();
    }
  }

  it("keeps two instances together within the bot's global limit: no 429", { timeout: 60_000 }, async () => {
    const a = await createSharedPacing({ limits, redisUrl: redis.url, botId: 1, logger });
    const b = await createSharedPacing({ limits, redisUrl: redis.url, botId: 1, logger });
    try {
      const { standin, delivered } = await twoInstancesSend([a.pacer, b.pacer], 20);
      expect(delivered).toBe(40);
      expect(standin.tooManyRequestsSent).toBe(0);
      await standin.close();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("shows why: paced each on its own, two instances exceed the bot's limit", { timeout: 60_000 }, async () => {
    const { standin } = await twoInstancesSend([new TelegramPacer(limits), new TelegramPacer(limits)], 20);
    expect(standin.tooManyRequestsSent).toBeGreaterThan(0);
    await standin.close();
  });

  it("paces a chat again after its limiter's keys expired in Redis (a chat quiet for minutes)", async () => {
    const shared = await createSharedPacing({ limits, redisUrl: redis.url, botId: 7, logger });
    const inspector = new Redis(redis.url);
    try {
      const chatId = 4242n;
      const never = new Promise<never>(() => undefined);
      expect(await shared.pacer.turn(chatId, never)).toBe(true);
      (await shared.pacer.sendSlot(chatId))();
      // What Redis does to a limiter idle past its group timeout (5 minutes): its keys are gone,
      // while this process still holds the limiter. Redis 7 then answers "ERR UNKNOWN_CLIENT".
      // First only this instance's registration (Redis 7: "ERR UNKNOWN_CLIENT"), then everything
      // ("ERR SETTINGS_KEY_NOT_FOUND").
      for (const pattern of ["b_ordergram:pacing:7:chat-4242_client*", "b_ordergram:pacing:7:chat-4242*"]) {
        const keys = await inspector.keys(pattern);
        expect(keys.length).toBeGreaterThan(0);
        await inspector.del(...keys);
        expect(await shared.pacer.turn(chatId, never)).toBe(true);
        (await shared.pacer.sendSlot(chatId))();
      }
      expect(await inspector.exists("b_ordergram:pacing:7:chat-4242_settings")).toBe(1);
    } finally {
      inspector.disconnect();
      await shared.close();
    }
  });

  it("runs ordergram with REDIS_URL: status messages go out through the shared pacer", async () => {
    const clock = new ManualClock("2026-11-24T09:00:00Z");
    const harness = await startHarness({ clock, env: { REDIS_URL: redis.url }, configYaml: followUpConfig() });
    try {
      const { order, customer } = await confirmedOrder(harness, clock);
      await harness.api("POST", `/orders/${order.id}/status`, { status: "shipped" });
      expect((await customer.waitForMessage()).text).toContain("Your order has been shipped.");
    } finally {
      await harness.close();
    }
  });
});
