import type { Message } from "@grammyjs/types";
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { TelegramTestUser, WhereOptions } from "../telegram-standin/index.js";

/**
 * Acting as a person in the stand-in, over HTTP: a customer in their private chat with the bot, or
 * a manager in the managers' forum. The page and curl use the same routes; curl users get the
 * bot's answer in the response (it waits until the bot goes quiet), the page passes ?wait=0 and
 * sees the answer arrive on the event stream.
 */

/** How long to wait for the bot's answer after acting as the person. */
const settleAfterMs = 400;
const maxWaitMs = 5_000;
/** A photo taken with a phone is a few MB; base64 adds a third. */
const maxPhotoBytes = 10 * 1024 * 1024;

const textInput = z.strictObject({
  text: z.string().min(1).max(4096),
  threadId: z.int().positive().optional(),
  replyTo: z.int().positive().optional(),
});
/**
 * A button by its text (or callback data), or by where it is: row and column counted from 1 as the
 * person sees them, for buttons whose text changes (the delivery days are dates). Without
 * `messageId`, the newest of the bot's messages that has such a button.
 */
const tapInput = z.union([
  z.strictObject({ button: z.string().min(1).max(256), messageId: z.int().positive().optional() }),
  z.strictObject({ row: z.int().positive(), column: z.int().positive(), messageId: z.int().positive().optional() }),
]);
const replyButtonInput = z.strictObject({ text: z.string().min(1).max(256) });
const photoInput = z.strictObject({
  /** The image file (PNG or JPEG) in base64. */
  photo: z.base64().max(Math.ceil((maxPhotoBytes * 4) / 3) + 4),
  caption: z.string().max(1024).optional(),
  threadId: z.int().positive().optional(),
});
const contactInput = z.strictObject({}).nullable();
const languageInput = z.strictObject({
  languageCode: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
    .nullable(),
});

/** The plain transcript line the curl routes answer with. */
export const plainView = (message: Message) => ({
  id: message.message_id,
  from: message.from?.is_bot ? "bot" : message.from === undefined ? "service" : message.chat.type === "private" ? "customer" : "manager",
  text:
    message.text ??
    message.caption ??
    (message.contact ? `[contact ${message.contact.phone_number}]` : message.photo ? "[photo]" : "[media]"),
  buttons: message.reply_markup?.inline_keyboard.map((row) => row.map((b) => b.text)) ?? [],
  date: new Date(message.date * 1000).toISOString(),
});

export interface PersonRouteOptions {
  /** Finds the person by the :id in the path. */
  person: (id: number) => TelegramTestUser | undefined;
  /** Where they act: their private chat with the bot, or a group. */
  where: (person: TelegramTestUser) => WhereOptions;
  /** What the person is called in error messages ("customer", "manager"). */
  label: string;
}

const bad = (c: Context, code: string, message: string, status: 400 | 404 = 400) => c.json({ error: { code, message } }, status);

async function parse<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<{ ok: true; value: z.infer<T> } | { ok: false; response: Response }> {
  const parsed = schema.safeParse(await c.req.json().catch(() => null));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: bad(c, "VALIDATION_FAILED", z.prettifyError(parsed.error)) };
}

/**
 * Registers `<prefix>/:id/messages` (GET, POST), `/tap`, `/reply-button`, `/contact`, `/photo` and
 * `/language` for one kind of person.
 */
export function personRoutes(app: Hono, prefix: string, options: PersonRouteOptions): void {
  const find = (c: Context) => options.person(Number(c.req.param("id")));
  const notFound = (c: Context) => bad(c, "NOT_FOUND", `No such sandbox ${options.label}.`, 404);

  /** Runs an action, then (unless ?wait=0) collects what the bot sent or edited until it went quiet. */
  async function act<T>(c: Context, person: TelegramTestUser, where: WhereOptions, action: () => Promise<T>) {
    const seen = () => person.messagesIn(where);
    const before = new Map(seen().map((m) => [m.message_id, JSON.stringify(m)]));
    const changed = () => seen().filter((m) => m.from?.is_bot && before.get(m.message_id) !== JSON.stringify(m));
    const result = await action();
    if (c.req.query("wait") === "0") return { result, botMessages: [] };
    const started = Date.now();
    let count = -1;
    let stableSince = Date.now();
    while (Date.now() - started < maxWaitMs) {
      const now = changed().length;
      if (now !== count) {
        count = now;
        stableSince = Date.now();
      } else if (now > 0 && Date.now() - stableSince >= settleAfterMs) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { result, botMessages: changed().map(plainView) };
  }

  app.get(`${prefix}/:id/messages`, (c) => {
    const person = find(c);
    if (!person) return notFound(c);
    return c.json({ messages: person.messagesIn(options.where(person)).map(plainView) });
  });

  /**
   * A POST action as the person: finds them, parses the body, runs `run` (what it does, and where
   * the bot's answer is collected), and answers with what the bot said back. A person's mistake
   * (no such button, a closed topic) is a 400 with the reason.
   */
  function action<T extends z.ZodType>(
    name: string,
    schema: T,
    run: (person: TelegramTestUser, input: z.infer<T>) => { where: WhereOptions; act: () => Promise<unknown>; errorCode?: string },
  ): void {
    app.post(`${prefix}/:id/${name}`, async (c) => {
      const person = find(c);
      if (!person) return notFound(c);
      const input = await parse(c, schema);
      if (!input.ok) return input.response;
      const step = run(person, input.value);
      try {
        const { result, botMessages } = await act(c, person, step.where, step.act);
        return c.json(name === "tap" ? { answer: result, botMessages } : { botMessages });
      } catch (error) {
        return bad(c, step.errorCode ?? "NOT_POSSIBLE", error instanceof Error ? error.message : String(error));
      }
    });
  }
  const inThread = (person: TelegramTestUser, threadId: number | undefined): WhereOptions => ({
    ...options.where(person),
    ...(threadId !== undefined ? { threadId } : {}),
  });

  action("messages", textInput, (person, { text, threadId, replyTo }) => {
    const where = inThread(person, threadId);
    return { where, act: () => person.sendText(text, { ...where, ...(replyTo !== undefined ? { replyTo } : {}) }) };
  });

  action("tap", tapInput, (person, input) => {
    const where = options.where(person);
    const tap = (button: string, messageId: number | undefined) =>
      person.tapButton(button, { ...where, ...(messageId !== undefined ? { messageId } : {}) });
    return {
      where,
      act: async () => {
        if ("button" in input) return tap(input.button, input.messageId);
        const { row, column, messageId } = input;
        const found = person
          .messagesIn(where)
          .filter((m) => m.from?.is_bot && (messageId === undefined || m.message_id === messageId))
          .map((m) => ({ message: m, button: m.reply_markup?.inline_keyboard[row - 1]?.[column - 1] }))
          .findLast((candidate) => candidate.button !== undefined);
        if (!found?.button) throw new Error(`No inline button in row ${row}, column ${column} on screen.`);
        const data = "callback_data" in found.button ? found.button.callback_data : found.button.text;
        return tap(data, found.message.message_id);
      },
      errorCode: "NO_SUCH_BUTTON",
    };
  });

  action("reply-button", replyButtonInput, (person, { text }) => {
    const where = options.where(person);
    return { where, act: () => person.pressReplyButton(text, where) };
  });

  /** Shares the person's own phone number, as the "Share contact" button does. */
  action("contact", contactInput, (person) => {
    const where = options.where(person);
    return { where, act: () => person.shareContact(where) };
  });

  action("photo", photoInput, (person, { photo, caption, threadId }) => {
    const where = inThread(person, threadId);
    const bytes = new Uint8Array(Buffer.from(photo, "base64"));
    return { where, act: () => person.sendPhoto(bytes, { ...where, ...(caption ? { caption } : {}) }) };
  });

  /** The language the person's Telegram app reports (language_code on their next updates). */
  app.post(`${prefix}/:id/language`, async (c) => {
    const person = find(c);
    if (!person) return notFound(c);
    const input = await parse(c, languageInput);
    if (!input.ok) return input.response;
    // A new object: messages already sent keep the `from` they were sent with.
    const { language_code: _old, ...rest } = person.record.user;
    person.record.user = input.value.languageCode === null ? rest : { ...rest, language_code: input.value.languageCode };
    return c.json({ id: person.id, languageCode: person.user.language_code ?? null });
  });
}
