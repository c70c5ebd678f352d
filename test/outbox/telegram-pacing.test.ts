import { performance } from "node:perf_hooks";
import { beforeEach, describe, expect, it } from "vitest";
import { TelegramPacer } from "../../src/outbox/telegram-pacer.js";
import { describeEachDatabase } from "../support/test-database.js";
import { enqueue, testDispatcher } from "./outbox-test-kit.js";

/** The most events found in any window [t, t + windowMs) that starts at an event. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  for (const [i, start] of sorted.entries()) most = Math.max(most, sorted.slice(i).filter((t) => t < start + windowMs).length);
  return most;
}

const never = new Promise<never>(() => {});

describeEachDatabase("telegram pacing", (getDb) => {
  beforeEach(async () => {
    await getDb().outboxMessage.deleteMany();
  });

  it("should send no more than the global limit in any second", async () => {
    const sentAt: number[] = [];
    const { dispatcher, clock } = testDispatcher(getDb(), {
      telegram: {
        async deliver() {
          sentAt.push(performance.now());
        },
      },
      rateLimits: { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 10 },
    });
    for (let chat = 0; chat < 25; chat++)
      await enqueue(getDb(), { channel: "telegram", chatId: 5000n + BigInt(chat), intent: { chat } }, clock.now());

    await dispatcher.runOnce();

    expect(sentAt).toHaveLength(25);
    expect(busiestWindow(sentAt, 1000)).toBeLessThanOrEqual(10);
  });
});

describe("TelegramPacer", () => {
  async function sendTimes(pacer: TelegramPacer, chatIds: bigint[]): Promise<number[]> {
    const times: number[] = [];
    await Promise.all(
      [...new Set(chatIds)].map(async (chatId) => {
        for (const id of chatIds.filter((c) => c === chatId)) {
          await pacer.turn(id, never);
          await pacer.sendSlot(id);
          times.push(performance.now());
        }
      }),
    );
    return times.sort((x, y) => x - y);
  }

  it("should hold one chat to the per-chat limit in any second", async () => {
    const times = await sendTimes(new TelegramPacer({ perChatPerSecond: 2, perGroupPerMinute: 6000, globalPerSecond: 1000 }), [7n, 7n, 7n]);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(2);
  });

  it("should apply the per-group limit to chats with a negative id only", async () => {
    // 300 a minute: Bottleneck spaces a group's messages 200 ms apart.
    const pacer = new TelegramPacer({ perChatPerSecond: 1000, perGroupPerMinute: 300, globalPerSecond: 1000 });
    const group = await sendTimes(pacer, [-100n, -100n, -100n, -100n]);
    expect((group[3] ?? 0) - (group[0] ?? 0)).toBeGreaterThan(550);
    const chat = await sendTimes(pacer, [100n, 100n, 100n, 100n]);
    expect((chat[3] ?? 0) - (chat[0] ?? 0)).toBeLessThan(150);
  });

  it("should give up waiting when told to", async () => {
    const pacer = new TelegramPacer({ perChatPerSecond: 0.1, perGroupPerMinute: 20, globalPerSecond: 30 });
    expect(await pacer.turn(9n, never)).toBe(true);
    expect(await pacer.turn(9n, Promise.resolve())).toBe(false);
  });

  it("should refuse a limit that is not a positive number", () => {
    expect(() => new TelegramPacer({ perChatPerSecond: 0, perGroupPerMinute: 20, globalPerSecond: 30 })).toThrow("perChatPerSecond");
  });
});
