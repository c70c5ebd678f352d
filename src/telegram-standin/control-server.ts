import type { Message } from "@grammyjs/types";
import { Hono } from "hono";
import { z } from "zod";
import type { ChatMessageEvent } from "./standin-events.js";
import type { TelegramStandin } from "./telegram-standin.js";
import type { TelegramTestUser } from "./telegram-test-user.js";
import { TimingRecorder } from "./timing-recorder.js";

/**
 * The control channel of a stand-in running as its own process (standalone.ts): create bots and
 * people, act as them, and read the call log and per-update timings. JSON over HTTP on loopback;
 * meant for load tests and benchmarks that must not share a process with the bot they measure.
 *
 *   POST /bots                 { token, username, firstName }
 *   POST /users                { firstName, languageCode?, phone?, bot?: token, started?: true }
 *                              started: the person opened the bot before (the bot may write first)
 *   POST /users/:id/act        { text | tap, until?: { text?, button? }, timeoutMs? }
 *                              sends the text or taps the button, then waits until the bot sends
 *                              or edits a message in the chat that matches `until` (any message
 *                              when omitted) and, for a tap, answers the callback query
 *   GET  /users/:id/messages   the private chat with the bot
 *   GET  /calls?after=&method= the call log      GET /timings?after=   update timings
 *   POST /clear                forgets calls and timings      GET /stats
 */

const MAX_WAIT_MS = 120_000;

const botInput = z.strictObject({ token: z.string().regex(/^\d+:[\w-]+$/), username: z.string().min(1), firstName: z.string().min(1) });
const userInput = z.strictObject({
  firstName: z.string().min(1).max(64),
  languageCode: z.string().min(2).max(10).optional(),
  phone: z.string().max(32).optional(),
  bot: z.string().optional(),
  started: z.boolean().optional(),
});
const untilInput = z.strictObject({ text: z.string().min(1).optional(), button: z.string().min(1).optional() });
const actInput = z.union([
  z.strictObject({
    text: z.string().min(1).max(4096),
    until: untilInput.optional(),
    timeoutMs: z.int().min(1).max(MAX_WAIT_MS).optional(),
  }),
  z.strictObject({ tap: z.string().min(1).max(256), until: untilInput.optional(), timeoutMs: z.int().min(1).max(MAX_WAIT_MS).optional() }),
]);
const afterInput = z.coerce.number().int().min(0).default(0);

export interface MessageView {
  messageId: number;
  fromBot: boolean;
  text: string | undefined;
  buttons: string[];
}

const view = (message: Message): MessageView => ({
  messageId: message.message_id,
  fromBot: message.from?.is_bot === true,
  text: message.text ?? message.caption,
  buttons: message.reply_markup?.inline_keyboard.flat().map((button) => button.text) ?? [],
});

type Until = z.infer<typeof untilInput>;

const matches = (message: Message, until: Until): boolean =>
  (until.text === undefined || (message.text ?? message.caption ?? "").includes(until.text)) &&
  (until.button === undefined || (message.reply_markup?.inline_keyboard.flat().some((button) => button.text === until.button) ?? false));

export interface ControlApp {
  app: Hono;
  recorder: TimingRecorder;
  /** Stops recording and ends pending waits. */
  close(): void;
}

export function createControlApp(standin: TelegramStandin): ControlApp {
  const app = new Hono();
  const recorder = new TimingRecorder(standin.events);
  const people = new Map<number, { user: TelegramTestUser; chatKey: string }>();
  // One listener for all waiting people, keyed by chat: thousands of waits cost one lookup per message.
  const waiters = new Map<string, Set<(event: ChatMessageEvent) => void>>();
  const unsubscribe = standin.events.on("message", (event) => {
    if (event.sender.kind !== "bot" || event.change === "deleted") return;
    for (const waiter of waiters.get(event.chatKey) ?? []) waiter(event);
  });

  /** Resolves with the first message the bot sends or edits in the chat from now on that matches. */
  function nextBotMessage(chatKey: string, until: Until, timeoutMs: number): { done: Promise<Message>; cancel: () => void } {
    let cancel = () => {};
    const done = new Promise<Message>((resolve, reject) => {
      const set = waiters.get(chatKey) ?? new Set();
      waiters.set(chatKey, set);
      const remove = () => {
        clearTimeout(timer);
        set.delete(waiter);
        if (set.size === 0) waiters.delete(chatKey);
      };
      const waiter = (event: ChatMessageEvent) => {
        if (!matches(event.message, until)) return;
        remove();
        resolve(event.message);
      };
      const timer = setTimeout(() => {
        remove();
        reject(new Error(`no matching bot message within ${timeoutMs} ms (until: ${JSON.stringify(until)})`));
      }, timeoutMs);
      set.add(waiter);
      cancel = () => {
        remove();
        resolve(undefined as never);
      };
    });
    return { done, cancel };
  }

  app.get("/health", (c) => c.json({ ok: true, apiUrl: standin.url }));

  app.post("/bots", async (c) => {
    const input = botInput.safeParse(await c.req.json().catch(() => null));
    if (!input.success) return c.json({ ok: false, error: z.prettifyError(input.error) }, 400);
    if (standin.world.bots.has(input.data.token)) return c.json({ ok: false, error: "a bot with this token exists" }, 409);
    return c.json({ ok: true, bot: standin.addBot(input.data) });
  });

  app.post("/users", async (c) => {
    const input = userInput.safeParse(await c.req.json().catch(() => null));
    if (!input.success) return c.json({ ok: false, error: z.prettifyError(input.error) }, 400);
    const { bot: token, started, ...options } = input.data;
    const bot = token === undefined ? standin.world.bots.values().next().value : standin.world.bots.get(token);
    if (!bot) return c.json({ ok: false, error: "no such bot: add it first" }, 404);
    const user = standin.addUser({ ...options, bot: bot.token });
    if (started) user.record.startedBots.add(bot.user.id);
    people.set(user.id, { user, chatKey: `private:${bot.user.id}:${user.id}` });
    return c.json({ ok: true, id: user.id });
  });

  app.post("/users/:id/act", async (c) => {
    const person = people.get(Number(c.req.param("id")));
    if (!person) return c.json({ ok: false, error: "no such user" }, 404);
    const input = actInput.safeParse(await c.req.json().catch(() => null));
    if (!input.success) return c.json({ ok: false, error: z.prettifyError(input.error) }, 400);
    const timeoutMs = input.data.timeoutMs ?? 10_000;
    const wait = nextBotMessage(person.chatKey, input.data.until ?? {}, timeoutMs);
    try {
      let tap;
      if ("tap" in input.data) {
        [tap] = await Promise.all([person.user.tapButton(input.data.tap, { timeoutMs }), wait.done]);
      } else {
        await person.user.sendText(input.data.text);
      }
      const message = await wait.done;
      return c.json({ ok: true, ...(tap ? { tap } : {}), message: view(message) });
    } catch (error) {
      wait.cancel();
      return c.json({ ok: false, error: error instanceof Error ? error.message : String(error) }, 409);
    }
  });

  app.get("/users/:id/messages", (c) => {
    const person = people.get(Number(c.req.param("id")));
    if (!person) return c.json({ ok: false, error: "no such user" }, 404);
    return c.json({ ok: true, messages: person.user.messages.map(view) });
  });

  app.get("/calls", (c) => {
    const after = afterInput.safeParse(c.req.query("after"));
    if (!after.success) return c.json({ ok: false, error: "after: a sequence number" }, 400);
    return c.json({ ok: true, calls: recorder.callsAfter(after.data, c.req.query("method")) });
  });

  app.get("/timings", (c) => {
    const after = afterInput.safeParse(c.req.query("after"));
    if (!after.success) return c.json({ ok: false, error: "after: a sequence number" }, 400);
    return c.json({ ok: true, timings: recorder.timingsAfter(after.data) });
  });

  app.post("/clear", (c) => {
    recorder.clear();
    return c.json({ ok: true });
  });

  app.get("/stats", (c) =>
    c.json({
      ok: true,
      tooManyRequestsSent: standin.tooManyRequestsSent,
      users: standin.world.users.size,
      chats: standin.world.chats.size,
      pendingUpdates: Object.fromEntries(
        [...standin.world.bots.values()].map((bot) => [bot.user.username ?? String(bot.user.id), bot.updates.pendingCount]),
      ),
    }),
  );

  return {
    app,
    recorder,
    close: () => {
      unsubscribe();
      recorder.stop();
      waiters.clear();
    },
  };
}
