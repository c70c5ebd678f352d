import { beforeEach, expect, it, vi } from "vitest";
import { DeliveryError } from "../../src/outbox/delivery-error.js";
import type { TelegramOutboxMessage, UnreachableChat } from "../../src/outbox/outbox-dispatcher.js";
import { pastSeveralLeases } from "../support/past-several-leases.js";
import { describeEachDatabase } from "../support/test-database.js";
import { enqueue, testDispatcher } from "./outbox-test-kit.js";

/** A stand-in for the bot layer's send adapter: records every call, answers as scripted. */
function fakeTelegram(answer: (message: TelegramOutboxMessage) => void | { skipped: string } = () => undefined) {
  const calls: Array<{ id: string; chatId: bigint; attempt: number; text: string }> = [];
  return {
    calls,
    sender: {
      async deliver(message: TelegramOutboxMessage) {
        calls.push({ id: message.id, chatId: message.chatId, attempt: message.attempt, text: (message.intent as { text: string }).text });
        return answer(message);
      },
    },
  };
}

const say = (chatId: bigint, text: string, orderId?: string) => ({
  channel: "telegram" as const,
  chatId,
  intent: { kind: "test.say", text },
  ...(orderId ? { orderId } : {}),
});

describeEachDatabase("telegram delivery", (getDb) => {
  beforeEach(async () => {
    await getDb().outboxMessage.deleteMany();
  });

  it("should hand the intent to the bot layer and mark the row sent", async () => {
    const telegram = fakeTelegram();
    const { dispatcher, clock } = testDispatcher(getDb(), { telegram: telegram.sender });
    const id = await enqueue(getDb(), say(101n, "Your order is confirmed", "ord_1"), clock.now());
    expect(await dispatcher.runOnce()).toBe(1);
    expect(telegram.calls).toEqual([{ id, chatId: 101n, attempt: 1, text: "Your order is confirmed" }]);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "sent",
      attempts: 1,
      sentAt: clock.now(),
    });
    expect(await dispatcher.runOnce()).toBe(0);
  });

  it("should not send a message before its notBefore time", async () => {
    const telegram = fakeTelegram();
    const { dispatcher, clock } = testDispatcher(getDb(), { telegram: telegram.sender });
    await enqueue(getDb(), say(102n, "Good morning"), clock.now(), { notBefore: new Date(clock.now().getTime() + 8 * 3600_000) });
    await dispatcher.runOnce();
    expect(telegram.calls).toHaveLength(0);
    clock.advance(8 * 3600_000);
    await dispatcher.runOnce();
    expect(telegram.calls.map((c) => c.text)).toEqual(["Good morning"]);
  });

  it("should not retry a 429 before retry_after has passed", async () => {
    const telegram = fakeTelegram((message) => {
      if (message.attempt === 1) throw new DeliveryError("retry", "429: Too Many Requests: retry after 30", { retryAfterMs: 30_000 });
    });
    const { dispatcher, clock } = testDispatcher(getDb(), { telegram: telegram.sender });
    const id = await enqueue(getDb(), say(103n, "Hello"), clock.now());

    await dispatcher.runOnce();
    const row = await getDb().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "429: Too Many Requests: retry after 30", leasedUntil: null });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(clock.now().getTime() + 30_000);

    clock.advance(29_999);
    await dispatcher.runOnce();
    expect(telegram.calls).toHaveLength(1);

    clock.set(row.nextAttemptAt);
    await dispatcher.runOnce();
    expect(telegram.calls.map((c) => c.attempt)).toEqual([1, 2]);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "sent",
      attempts: 2,
      lastError: null,
    });
  });

  it("should retry other errors with back-off and fail after maxAttempts", async () => {
    const telegram = fakeTelegram(() => {
      throw new Error("socket hang up");
    });
    const { dispatcher, clock } = testDispatcher(getDb(), {
      telegram: telegram.sender,
      retry: { telegram: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 } },
    });
    const id = await enqueue(getDb(), say(104n, "Hello"), clock.now());
    const dueTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      await dispatcher.runOnce();
      const row = await getDb().outboxMessage.findUniqueOrThrow({ where: { id } });
      dueTimes.push(row.nextAttemptAt.getTime() - clock.now().getTime());
      clock.set(row.nextAttemptAt);
    }
    // Exponential with jitter: 75-100 % of 1 s, then of 2 s.
    expect(dueTimes[0]).toBeGreaterThanOrEqual(750);
    expect(dueTimes[0]).toBeLessThanOrEqual(1000);
    expect(dueTimes[1]).toBeGreaterThanOrEqual(1500);
    expect(dueTimes[1]).toBeLessThanOrEqual(2000);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "failed",
      attempts: 3,
      lastError: "gave up after 3 attempts: Error: socket hang up",
    });
  });

  it("should never give up on a message because Telegram keeps asking to wait", async () => {
    const telegram = fakeTelegram((message) => {
      if (message.attempt <= 4) throw new DeliveryError("retry", "429: Too Many Requests: retry after 1", { retryAfterMs: 1000 });
    });
    const { dispatcher, clock } = testDispatcher(getDb(), {
      telegram: telegram.sender,
      retry: { telegram: { maxAttempts: 2, baseDelayMs: 1000, maxDelayMs: 60_000 } },
    });
    const id = await enqueue(getDb(), say(109n, "Hello"), clock.now());
    for (let i = 0; i < 5; i++) {
      await dispatcher.runOnce();
      clock.set((await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).nextAttemptAt);
    }
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sent", attempts: 5 });
  });

  it("should move the retry of a message bound to contact hours to the next opening", async () => {
    const telegram = fakeTelegram((message) => {
      if (message.attempt === 1) throw new DeliveryError("retry", "sendMessage: 502 Bad Gateway");
    });
    // Open 09:00-21:00 UTC in this test; the first attempt fails at 20:59:58.
    const nextContactTime = (at: Date) => {
      const hour = at.getUTCHours();
      if (hour >= 9 && hour < 21) return at;
      const opening = new Date(at);
      if (hour >= 21) opening.setUTCDate(opening.getUTCDate() + 1);
      opening.setUTCHours(9, 0, 0, 0);
      return opening;
    };
    const { dispatcher, clock } = testDispatcher(getDb(), { telegram: telegram.sender, nextContactTime });
    clock.set("2026-11-23T20:59:58Z");
    const bound = await enqueue(getDb(), { ...say(110n, "Your parcel is on its way"), withinContactHours: true }, clock.now());
    const reply = await enqueue(getDb(), say(111n, "A manager's answer"), clock.now());
    await dispatcher.runOnce();
    expect((await getDb().outboxMessage.findUniqueOrThrow({ where: { id: bound } })).nextAttemptAt.toISOString()).toBe(
      "2026-11-24T09:00:00.000Z",
    );
    // A message not bound to contact hours is retried at its back-off time.
    expect((await getDb().outboxMessage.findUniqueOrThrow({ where: { id: reply } })).nextAttemptAt.getTime()).toBeLessThan(
      Date.parse("2026-11-23T21:01:00Z"),
    );
  });

  it("should mark a message skipped when the bot layer says it no longer applies", async () => {
    const telegram = fakeTelegram(() => ({ skipped: "a manager owns the chat" }));
    const { dispatcher, clock } = testDispatcher(getDb(), { telegram: telegram.sender });
    const id = await enqueue(getDb(), say(105n, "Reminder"), clock.now());
    await dispatcher.runOnce();
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "skipped",
      attempts: 1,
      lastError: "skipped: a manager owns the chat",
      sentAt: null,
    });
  });

  it("should fail a permanently refused message and go on with the chat's next one", async () => {
    const telegram = fakeTelegram((message) => {
      if ((message.intent as { text: string }).text === "too long")
        throw new DeliveryError("permanent", "400: Bad Request: message is too long");
    });
    const { dispatcher, clock } = testDispatcher(getDb(), { telegram: telegram.sender });
    const bad = await enqueue(getDb(), say(106n, "too long"), clock.now());
    const next = await enqueue(getDb(), say(106n, "next"), clock.now());
    await dispatcher.runOnce();
    expect(telegram.calls.map((c) => c.text)).toEqual(["too long", "next"]);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id: bad } })).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "400: Bad Request: message is too long",
    });
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id: next } })).toMatchObject({ status: "sent" });
  });

  it("should report an unreachable chat once and fail the chat's other messages", async () => {
    const blocked = 107n;
    const telegram = fakeTelegram((message) => {
      if (message.chatId === blocked) throw new DeliveryError("unreachable", "403: Forbidden: bot was blocked by the user");
    });
    const onUnreachable = vi.fn(async (_message: UnreachableChat) => undefined);
    const { dispatcher, clock } = testDispatcher(getDb(), { telegram: telegram.sender, onUnreachable });
    const first = await enqueue(getDb(), say(blocked, "Please confirm", "ord_3"), clock.now());
    const second = await enqueue(getDb(), say(blocked, "Reminder"), clock.now());
    const scheduled = await enqueue(getDb(), say(blocked, "Delivery tomorrow"), clock.now(), {
      notBefore: new Date(clock.now().getTime() + 86_400_000),
    });
    const other = await enqueue(getDb(), say(108n, "Hello"), clock.now());

    await dispatcher.runOnce();
    clock.advance(2 * 86_400_000);
    await dispatcher.runOnce();

    expect(onUnreachable).toHaveBeenCalledTimes(1);
    expect(onUnreachable.mock.calls[0]?.[0]).toMatchObject({
      id: first,
      chatId: blocked,
      orderId: "ord_3",
      attempt: 1,
      error: "403: Forbidden: bot was blocked by the user",
    });
    expect(telegram.calls.map((c) => c.text)).toEqual(expect.arrayContaining(["Please confirm", "Hello"]));
    expect(telegram.calls).toHaveLength(2);
    const rows = await getDb().outboxMessage.findMany({ where: { id: { in: [first, second, scheduled, other] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(first)).toMatchObject({ status: "failed", lastError: "403: Forbidden: bot was blocked by the user" });
    expect(byId.get(second)).toMatchObject({
      status: "failed",
      attempts: 0,
      lastError: "chat unreachable: 403: Forbidden: bot was blocked by the user",
    });
    expect(byId.get(scheduled)).toMatchObject({ status: "failed", attempts: 0 });
    expect(byId.get(other)).toMatchObject({ status: "sent" });
  });

  it("should retry the message when onUnreachable fails, so the hook is not lost", async () => {
    const telegram = fakeTelegram(() => {
      throw new DeliveryError("unreachable", "403: Forbidden: bot can't initiate conversation with a user");
    });
    let hookWorks = false;
    const onUnreachable = vi.fn(async () => {
      if (!hookWorks) throw new Error("database is locked");
    });
    const { dispatcher, clock } = testDispatcher(getDb(), {
      telegram: telegram.sender,
      onUnreachable,
      retry: { baseDelayMs: 1000, maxDelayMs: 1000 },
    });
    const id = await enqueue(getDb(), say(109n, "Hi"), clock.now());
    await dispatcher.runOnce();
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", attempts: 1 });
    hookWorks = true;
    clock.advance(1000);
    await dispatcher.runOnce();
    expect(onUnreachable).toHaveBeenCalledTimes(2);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed", attempts: 2 });
  });

  it("should keep a chat's messages in order while an earlier one is retried, without holding up other chats", async () => {
    let failSecondOnce = true;
    const telegram = fakeTelegram((message) => {
      if ((message.intent as { text: string }).text === "m2" && failSecondOnce) {
        failSecondOnce = false;
        throw new DeliveryError("retry", "502: Bad Gateway");
      }
    });
    const { dispatcher, clock } = testDispatcher(getDb(), {
      telegram: telegram.sender,
      retry: { baseDelayMs: 10_000, maxDelayMs: 10_000 },
    });
    const chat = 110n;
    for (const text of ["m1", "m2", "m3", "m4"]) await enqueue(getDb(), say(chat, text), clock.now());

    await dispatcher.runOnce();
    expect(telegram.calls.map((c) => c.text)).toEqual(["m1", "m2"]);

    // A new message for the chat, and one for another chat, while m2 waits for its retry.
    clock.advance(1000);
    await enqueue(getDb(), say(chat, "m5"), clock.now());
    await enqueue(getDb(), say(111n, "elsewhere"), clock.now());
    await dispatcher.runOnce();
    expect(telegram.calls.map((c) => c.text)).toEqual(["m1", "m2", "elsewhere"]);
    const waiting = await getDb().outboxMessage.findMany({ where: { chatId: chat, status: "pending" }, orderBy: { createdAt: "asc" } });
    expect(waiting.map((row) => row.attempts)).toEqual([1, 0, 0, 0]);

    clock.advance(10_000);
    await dispatcher.runOnce();
    expect(telegram.calls.filter((c) => c.chatId === chat).map((c) => `${c.text}#${c.attempt}`)).toEqual([
      "m1#1",
      "m2#1",
      "m2#2",
      "m3#1",
      "m4#1",
      "m5#1",
    ]);
    expect(await getDb().outboxMessage.count({ where: { status: "sent" } })).toBe(6);
  });

  it("should pick up a row whose dispatcher died while holding it, once the lease has expired", async () => {
    const telegram = fakeTelegram();
    const { dispatcher, clock } = testDispatcher(getDb(), { telegram: telegram.sender, instanceId: "survivor" });
    const orphan = await enqueue(getDb(), say(112n, "orphan"), clock.now());
    const held = await enqueue(getDb(), say(113n, "held"), clock.now());
    const now = clock.now().getTime();
    // "Crashed" mid-send (attempt counted); and another instance that is alive and sending.
    await getDb().outboxMessage.update({
      where: { id: orphan },
      data: { status: "sending", attempts: 1, leasedBy: "crashed/1", leasedUntil: new Date(now - 1000) },
    });
    await getDb().outboxMessage.update({
      where: { id: held },
      data: { status: "sending", attempts: 1, leasedBy: "alive/1", leasedUntil: new Date(now + 60_000) },
    });

    expect(await dispatcher.runOnce()).toBe(1);
    expect(telegram.calls).toEqual([{ id: orphan, chatId: 112n, attempt: 2, text: "orphan" }]);
    const row = await getDb().outboxMessage.findUniqueOrThrow({ where: { id: orphan } });
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect(row.leasedBy).toMatch(/^survivor\//);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id: held } })).toMatchObject({
      status: "sending",
      leasedBy: "alive/1",
    });

    clock.advance(61_000);
    await dispatcher.runOnce();
    expect(telegram.calls.map((c) => c.text)).toEqual(["orphan", "held"]);
  });

  it("should keep the lease of a slow send, so another instance does not send it again", async () => {
    let finish: () => void = () => {};
    const slow = new Promise<void>((resolve) => (finish = resolve));
    const first = fakeTelegram();
    const { dispatcher: a, clock } = testDispatcher(getDb(), {
      telegram: {
        async deliver(message) {
          await first.sender.deliver(message);
          await slow;
        },
      },
      leaseMs: 90, // renewed every 30 ms of real time
    });
    const second = fakeTelegram();
    const { dispatcher: b } = testDispatcher(getDb(), { telegram: second.sender, clock, leaseMs: 90 });
    const id = await enqueue(getDb(), say(115n, "slow"), clock.now());

    const pass = a.runOnce();
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    await pastSeveralLeases(clock, () => b.runOnce());
    finish();
    await pass;
    expect(second.calls).toHaveLength(0);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("should keep the leases of a chat's rows waiting for their turn, so another instance does not take them", async () => {
    const first = fakeTelegram();
    // One message a second in a chat: "two" and "three" wait, claimed, for their turn.
    const { dispatcher: a, clock } = testDispatcher(getDb(), {
      telegram: first.sender,
      rateLimits: { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30 },
      leaseMs: 90, // renewed every 30 ms of real time
    });
    const second = fakeTelegram();
    const { dispatcher: b } = testDispatcher(getDb(), { telegram: second.sender, clock, leaseMs: 90 });
    for (const text of ["one", "two", "three"]) await enqueue(getDb(), say(116n, text), clock.now());

    const pass = a.runOnce();
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    await pastSeveralLeases(clock, () => b.runOnce());
    await pass;
    expect(second.calls).toHaveLength(0);
    expect(first.calls.map((c) => c.text)).toEqual(["one", "two", "three"]);
  });

  it("should finish the send in flight on stop and hand the queued rows back", async () => {
    let release: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const { dispatcher, clock } = testDispatcher(getDb(), {
      telegram: {
        async deliver(message) {
          started.push((message.intent as { text: string }).text);
          await inFlight;
        },
      },
      rateLimits: { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30 },
      pollIntervalMs: 10,
    });
    for (const text of ["first", "second", "third"]) await enqueue(getDb(), say(114n, text), clock.now());
    dispatcher.start();
    await vi.waitFor(() => expect(started).toEqual(["first"]));
    const stopped = dispatcher.stop();
    release();
    await stopped;
    expect(started).toEqual(["first"]);
    const rows = await getDb().outboxMessage.findMany({ where: { chatId: 114n }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(rows.map((row) => [row.status, row.attempts, row.leasedUntil])).toEqual([
      ["sent", 1, null],
      ["pending", 0, null],
      ["pending", 0, null],
    ]);
  });

  it("should send an answer at once for its caller, without the chat's pace, and hold the chat's later rows behind it", async () => {
    let answered: () => void = () => {};
    const answering = new Promise<void>((resolve) => (answered = resolve));
    const sent: string[] = [];
    const { dispatcher, clock } = testDispatcher(getDb(), {
      telegram: {
        async deliver(message) {
          const text = (message.intent as { text: string }).text;
          if (text === "the tapped message, edited") await answering;
          sent.push(text);
        },
      },
      rateLimits: { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30 },
    });
    // The chat just had a message: a pass would wait a second for the chat's turn.
    await enqueue(getDb(), say(115n, "the read-back"), clock.now());
    await dispatcher.runOnce();
    await enqueue(getDb(), say(115n, "the tapped message, edited"), clock.now(), { key: "answer:1" });
    await enqueue(getDb(), say(115n, "what the change also queued"), clock.now());
    const now = dispatcher.deliverNow(["answer:1"]);
    await vi.waitFor(async () =>
      expect((await getDb().outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "answer:1" } })).status).toBe("sending"),
    );
    expect(await dispatcher.runOnce()).toBe(0);
    answered();
    const startedAt = performance.now();
    await now;
    expect(performance.now() - startedAt).toBeLessThan(500);
    expect(await dispatcher.runOnce()).toBe(1);
    expect(sent).toEqual(["the read-back", "the tapped message, edited", "what the change also queued"]);
  });

  it("should leave an answer to the pass that took it first, so it is sent once", async () => {
    const telegram = fakeTelegram();
    const { dispatcher, clock } = testDispatcher(getDb(), { telegram: telegram.sender });
    const id = await enqueue(getDb(), say(116n, "the tapped message, edited"), clock.now(), { key: "answer:2" });
    await dispatcher.runOnce();
    await dispatcher.deliverNow(["answer:2"]);
    expect(telegram.calls.map((call) => call.id)).toEqual([id]);
    expect(await getDb().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sent", attempts: 1 });
  });
});
