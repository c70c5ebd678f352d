import { Hono } from "hono";
import { z } from "zod";
import type { Message } from "@grammyjs/types";
import type { TelegramStandin } from "../telegram-standin/index.js";
import type { TelegramTestUser } from "../telegram-standin/telegram-test-user.js";

/**
 * The sandbox's control API (only in sandbox mode, mounted at /sandbox): act as a customer in the
 * local Telegram stand-in with curl, and read what the bot said. The browser sandbox builds on it.
 */

/** How long to wait for the bot's answer after acting as the customer. */
const settleAfterMs = 400;
const maxWaitMs = 5_000;

const customerInput = z.strictObject({
  firstName: z.string().trim().min(1).max(64),
  languageCode: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).optional(),
  phone: z.string().max(32).optional(),
});
const textInput = z.strictObject({ text: z.string().min(1).max(4096) });
const tapInput = z.strictObject({ button: z.string().min(1).max(256) });

const view = (message: Message) => ({
  id: message.message_id,
  from: message.from?.is_bot ? "bot" : "customer",
  text: message.text ?? message.caption ?? (message.contact ? `[contact ${message.contact.phone_number}]` : "[media]"),
  buttons: message.reply_markup?.inline_keyboard.map((row) => row.map((b) => b.text)) ?? [],
  date: new Date(message.date * 1000).toISOString(),
});

export function sandboxRoutes(standin: TelegramStandin, customers: Map<number, TelegramTestUser>): Hono {
  const app = new Hono();

  const customerOf = (id: string) => customers.get(Number(id));

  /** Runs an action as the customer, then returns what the bot sent or edited until it went quiet. */
  async function actAndCollect(customer: TelegramTestUser, act: () => Promise<unknown>) {
    const before = new Map(customer.messages.map((m) => [m.message_id, JSON.stringify(m)]));
    const changed = () => customer.messages.filter((m) => m.from?.is_bot && before.get(m.message_id) !== JSON.stringify(m));
    const result = await act();
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
    return { result, botMessages: changed().map(view) };
  }

  app.get("/", (c) =>
    c.json({
      customers: [...customers.values()].map((u) => ({ id: u.id, firstName: u.user.first_name, languageCode: u.user.language_code ?? null })),
      chats: standin.chats().map((chat) => ({ key: chat.key, type: chat.chat.type, messages: chat.messageCount })),
    }),
  );

  app.post("/customers", async (c) => {
    const parsed = customerInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: { code: "VALIDATION_FAILED", message: z.prettifyError(parsed.error) } }, 400);
    const customer = standin.addUser({ ...parsed.data });
    customers.set(customer.id, customer);
    return c.json({ id: customer.id, firstName: customer.user.first_name }, 201);
  });

  app.get("/customers/:id/messages", (c) => {
    const customer = customerOf(c.req.param("id"));
    if (!customer) return c.json({ error: { code: "NOT_FOUND", message: "No such sandbox customer." } }, 404);
    return c.json({ messages: customer.messages.map(view) });
  });

  app.post("/customers/:id/messages", async (c) => {
    const customer = customerOf(c.req.param("id"));
    if (!customer) return c.json({ error: { code: "NOT_FOUND", message: "No such sandbox customer." } }, 404);
    const parsed = textInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: { code: "VALIDATION_FAILED", message: z.prettifyError(parsed.error) } }, 400);
    const { botMessages } = await actAndCollect(customer, () => customer.sendText(parsed.data.text));
    return c.json({ botMessages });
  });

  app.post("/customers/:id/tap", async (c) => {
    const customer = customerOf(c.req.param("id"));
    if (!customer) return c.json({ error: { code: "NOT_FOUND", message: "No such sandbox customer." } }, 404);
    const parsed = tapInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: { code: "VALIDATION_FAILED", message: z.prettifyError(parsed.error) } }, 400);
    try {
      const { result, botMessages } = await actAndCollect(customer, () => customer.tapButton(parsed.data.button));
      return c.json({ answer: result, botMessages });
    } catch (error) {
      return c.json({ error: { code: "NO_SUCH_BUTTON", message: (error as Error).message } }, 400);
    }
  });

  app.post("/customers/:id/contact", async (c) => {
    const customer = customerOf(c.req.param("id"));
    if (!customer) return c.json({ error: { code: "NOT_FOUND", message: "No such sandbox customer." } }, 404);
    const { botMessages } = await actAndCollect(customer, () => customer.shareContact());
    return c.json({ botMessages });
  });

  return app;
}
