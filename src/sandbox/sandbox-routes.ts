import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { RunningApp } from "../app/start-app.js";
import type { Config } from "../config/load-config.js";
import { sandboxQueries } from "../db/sandbox-queries.js";
import { deliveryStatuses } from "../services/notification-intents.js";
import { deliveryFailureReasons } from "../domain/delivery-remedies.js";
import type { OffsetClock } from "../shared/clock.js";
import type { TelegramStandin, TelegramTestGroup, TelegramTestUser } from "../telegram-standin/index.js";
import { exampleOrders } from "./example-orders.js";
import { messageView, replyKeyboardView } from "./message-view.js";
import { personRoutes } from "./person-routes.js";
import type { SandboxFeed } from "./sandbox-feed.js";
import { sandboxGuard } from "./sandbox-guard.js";
import { moveSandboxClock } from "./sandbox-time.js";
import { webAssets } from "./web-assets.js";
import type { WebhookInbox } from "./webhook-inbox.js";

/** What the routes need once the app runs (they answer 503 before). */
export interface AttachedApp {
  app: RunningApp;
  config: Config;
  apiToken: string;
}

export interface SandboxRouteDeps {
  standin: TelegramStandin;
  botId: number;
  clock: OffsetClock;
  customers: Map<number, TelegramTestUser>;
  managers: Map<number, TelegramTestUser>;
  managersGroup: TelegramTestGroup;
  inbox: WebhookInbox;
  feed: SandboxFeed;
  allowRemote: boolean;
  attached: () => AttachedApp | undefined;
}

const customerInput = z.strictObject({
  firstName: z.string().trim().min(1).max(64),
  languageCode: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
    .optional(),
  phone: z.string().max(32).optional(),
  /** The customer has opened the bot before (sent /start), so the bot may write to them first. */
  startBot: z.boolean().optional(),
});
const clockInput = z.union([
  z.strictObject({
    advanceMs: z
      .int()
      .min(0)
      .max(366 * 86_400_000),
  }),
  z.strictObject({ to: z.iso.datetime({ offset: true }) }),
  z.strictObject({ next: z.literal(true) }),
]);

/**
 * The sandbox's HTTP face, mounted at /sandbox: the page (GET /sandbox/), its live event stream,
 * and a JSON control API to act as customers and managers, read chats, move the clock and see the
 * webhooks the shop would get. Loopback only unless ORDERGRAM_SANDBOX_ALLOW_REMOTE=true.
 */
export function sandboxRoutes(deps: SandboxRouteDeps): Hono {
  const { standin, clock, customers, managers, managersGroup, inbox, feed } = deps;
  const app = new Hono();
  const asset = webAssets();
  const privateChatKey = (userId: number) => `private:${deps.botId}:${userId}`;
  const notReady = (c: Context) => c.json({ error: { code: "STARTING", message: "ordergram is still starting." } }, 503);
  const personView = (person: TelegramTestUser) => ({
    id: person.id,
    firstName: person.user.first_name,
    languageCode: person.user.language_code ?? null,
    phone: person.record.phone ?? null,
  });
  const clockView = () => ({ now: clock.now().toISOString(), offsetMs: clock.offsetMs });

  app.use("*", sandboxGuard({ allowRemote: deps.allowRemote }));
  app.use("*", bodyLimit({ maxSize: 16 * 1024 * 1024 }));

  app.get("/", (c) => asset(c, "index.html"));
  app.get("/assets/:name", (c) => asset(c, c.req.param("name")));
  app.get("/events", (c) => feed.stream(c));

  app.get("/state", (c) => {
    const attached = deps.attached();
    if (!attached) return notReady(c);
    const { config } = attached;
    return c.json({
      shop: { name: config.file.shop.name, timeZone: config.file.shop.timeZone, languages: config.file.shop.languages },
      bot: { id: deps.botId, username: attached.app.botUsername },
      configPath: config.configPath,
      // Loopback only, and the sandbox's own token unless ORDERGRAM_API_TOKEN is set: the desk
      // calls the real API with it.
      apiToken: attached.apiToken,
      clock: clockView(),
      customers: [...customers.values()].map(personView),
      managers: [...managers.values()].map(personView),
      managersGroup: { id: managersGroup.id, title: managersGroup.title },
      webhooks: {
        url: config.env.ORDERGRAM_WEBHOOK_URL ?? null,
        capturedHere: config.env.ORDERGRAM_WEBHOOK_URL === inbox.url,
      },
      deliveryStatuses,
      deliveryFailureReasons,
    });
  });

  app.post("/customers", async (c) => {
    const parsed = customerInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: { code: "VALIDATION_FAILED", message: z.prettifyError(parsed.error) } }, 400);
    const { startBot, ...options } = parsed.data;
    const customer = standin.addUser(options);
    customers.set(customer.id, customer);
    feed.publish({ type: "customers" });
    if (startBot) await customer.sendText("/start");
    return c.json({ id: customer.id, firstName: customer.user.first_name }, 201);
  });

  /** A customer's chat as the page draws it, with the reply keyboard they see. */
  app.get("/customers/:id/chat", (c) => {
    const customer = customers.get(Number(c.req.param("id")));
    if (!customer) return c.json({ error: { code: "NOT_FOUND", message: "No such sandbox customer." } }, 404);
    const key = privateChatKey(customer.id);
    return c.json({
      chatKey: key,
      messages:
        standin.world.chats
          .get(key)
          ?.messages.filter((m) => !m.deleted)
          .map((m) => messageView(m.message, key, m.sender)) ?? [],
      keyboard: replyKeyboardView(customer.replyKeyboard()),
    });
  });

  personRoutes(app, "/customers", { label: "customer", person: (id) => customers.get(id), where: () => ({}) });
  personRoutes(app, "/managers", { label: "manager", person: (id) => managers.get(id), where: () => ({ chat: managersGroup }) });

  /** The managers' forum: its topics and every message, each with its topic. */
  app.get("/managers-group", (c) => {
    const key = `chat:${managersGroup.id}`;
    return c.json({
      chatKey: key,
      id: managersGroup.id,
      title: managersGroup.title,
      topics: standin.topics(managersGroup.id).filter((topic) => !topic.deleted),
      messages:
        standin.world.chats
          .get(key)
          ?.messages.filter((m) => !m.deleted)
          .map((m) => messageView(m.message, key, m.sender)) ?? [],
    });
  });

  app.get("/files/:fileId", (c) => {
    const file = standin.world.files.get(c.req.param("fileId"));
    if (!file) return c.json({ error: { code: "NOT_FOUND", message: "No such file." } }, 404);
    return c.body(Buffer.from(file.bytes), 200, {
      "content-type": file.mimeType ?? "application/octet-stream",
      "x-content-type-options": "nosniff",
    });
  });

  app.get("/clock", (c) => c.json(clockView()));

  /** {advanceMs} | {to: ISO time} | {next: true}: forward only; then due jobs and messages run. */
  app.post("/clock", async (c) => {
    const attached = deps.attached();
    if (!attached) return notReady(c);
    const parsed = clockInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: { code: "VALIDATION_FAILED", message: z.prettifyError(parsed.error) } }, 400);
    const move = parsed.data;
    const result = await moveSandboxClock(attached.app, clock, "to" in move ? { to: new Date(move.to) } : move);
    feed.publish({ type: "clock", ...clockView() });
    if (result.type === "in-the-past")
      return c.json({ error: { code: "IN_THE_PAST", message: "The sandbox clock only moves forward." }, ...clockView() }, 409);
    return c.json({ ...result, now: result.now.toISOString() });
  });

  /** What will happen by itself (jobs, messages held for contact hours) and the latest orders. */
  app.get("/schedule", async (c) => {
    const attached = deps.attached();
    if (!attached) return notReady(c);
    const queries = sandboxQueries(attached.app.services.db);
    const [upcoming, orders] = await Promise.all([queries.upcoming({ limit: 20 }), queries.recentOrders({ limit: 20 })]);
    return c.json({ clock: clockView(), ...upcoming, orders });
  });

  app.get("/examples", (c) => {
    const attached = deps.attached();
    if (!attached) return notReady(c);
    const customer = customers.get(Number(c.req.query("customerId"))) ?? customers.values().next().value;
    if (!customer) return c.json({ examples: [] });
    const examples = exampleOrders(
      {
        telegramUserId: customer.id,
        name: customer.user.first_name,
        phone: customer.record.phone ?? null,
        languageCode: customer.user.language_code ?? null,
      },
      clock.now(),
      attached.config.file,
    );
    return c.json({ examples });
  });

  app.get("/webhooks", (c) => c.json({ webhooks: inbox.list() }));

  // "/sandbox/" (with the slash people type) reaches the sub-app only through a wildcard.
  app.get("/*", (c) =>
    c.req.path.endsWith("/sandbox/")
      ? asset(c, "index.html")
      : c.json({ error: { code: "NOT_FOUND", message: `No route ${c.req.method} ${c.req.path}` } }, 404),
  );

  return app;
}
