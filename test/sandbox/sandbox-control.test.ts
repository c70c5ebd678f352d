import { readFileSync } from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configOf, exampleConfigPath, parseConfigFile, parseEnv } from "../../src/config/load-config.js";
import { createLogger } from "../../src/shared/logger.js";
import { startSandboxApp, type RunningSandbox } from "../../src/sandbox/start-sandbox-app.js";
import { createTestDatabase, DATABASE_PROVIDERS, postgresServerUrl, type TestDatabase } from "../support/test-database.js";

/**
 * The sandbox's control API and event stream, which the page is built on, over real HTTP: the
 * sandbox as `npm start` runs it (in-process), on each database.
 */

const apiToken = "sandbox-api-token";
const poll = { timeout: 10_000 };

interface ServerSentEvent {
  event: string;
  data: any;
}

/** Reads a server-sent event stream; next() resolves with the first event (after earlier ones) that matches. */
async function openEventStream(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const received: ServerSentEvent[] = [];
  let buffer = "";
  let read = 0;
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      buffer += chunk.value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
        const data = /^data: (.*)$/m.exec(block)?.[1];
        received.push({ event, data: data ? JSON.parse(data) : null });
      }
    }
  })();
  return {
    async next(accept: (event: ServerSentEvent) => boolean): Promise<ServerSentEvent> {
      let found: ServerSentEvent | undefined;
      await expect
        .poll(() => {
          for (; read < received.length; read++) {
            if (accept(received[read]!)) {
              found = received[read++];
              return true;
            }
          }
          return false;
        }, poll)
        .toBe(true);
      return found!;
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

/** fetch() will not send another Host header; a browser tricked by DNS rebinding does. */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
  });
}

for (const provider of DATABASE_PROVIDERS) {
  describe.skipIf(provider === "postgresql" && !postgresServerUrl())(`the sandbox's control API on ${provider}`, () => {
    let database: TestDatabase;
    let running: RunningSandbox;
    let base: string;
    let anna: number;

    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        type: response.headers.get("content-type") ?? "",
        text,
        body: text.startsWith("{") ? JSON.parse(text) : null,
      };
    };
    const shopApi = (method: string, path: string, body?: unknown) =>
      call(method, `/api/v1${path}`, body, { authorization: `Bearer ${apiToken}` });
    const transcript = async () =>
      (await call("GET", `/sandbox/customers/${anna}/messages`)).body.messages as Array<{
        id: number;
        from: string;
        text: string;
        buttons: string[][];
      }>;

    beforeAll(async () => {
      database = await createTestDatabase(provider);
      const config = configOf({
        env: parseEnv({ DATABASE_URL: database.url, PORT: "0", LOG_LEVEL: "silent" }),
        file: parseConfigFile(readFileSync(exampleConfigPath, "utf8"), "example config"),
        configPath: "example config",
      });
      running = await startSandboxApp({
        config,
        logger: createLogger({ level: "silent" }),
        apiToken,
        app: { outboxPollIntervalMs: 100, jobPollIntervalMs: 100 },
      });
      base = running.app.url;
      anna = running.sandbox.demoCustomer.id;
      // A Monday morning on the sandbox clock: contact and working hours are open.
      const monday = new Date();
      monday.setUTCHours(9, 0, 0, 0);
      do monday.setUTCDate(monday.getUTCDate() + 1);
      while (monday.getUTCDay() !== 1);
      expect((await call("POST", "/sandbox/clock", { to: monday.toISOString() })).status).toBe(200);
    });
    afterAll(async () => {
      await running?.stop();
      await database?.close();
    });

    it("serves the page and its control API to this machine only, and takes changes as JSON only", async () => {
      const page = await call("GET", "/sandbox/");
      expect(page.status).toBe(200);
      expect(page.type).toContain("text/html");
      expect(page.text).toContain('<script type="module" src="/sandbox/assets/app.js">');
      expect((await call("GET", "/sandbox/assets/app.js")).type).toContain("text/javascript");
      expect((await call("GET", "/sandbox/assets/..%2F..%2Fmain.ts")).status).toBe(404);
      // A page on another site that points its own name at 127.0.0.1 still sends that name.
      expect(await statusWithHost(`${base}/sandbox/state`, "evil.example")).toBe(403);
      expect(await statusWithHost(`${base}/sandbox/state`, "localhost")).toBe(200);
      const form = await fetch(`${base}/sandbox/clock`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: '{"advanceMs":1}',
      });
      expect(form.status).toBe(415);
    });

    it("streams the chat to the page as it happens: the bot's formatted message and the keyboard it shows", async () => {
      const stream = await openEventStream(`${base}/sandbox/events`);
      await stream.next((e) => e.event === "hello");
      const customer = await call("POST", "/sandbox/customers", { firstName: "Ivan", languageCode: "ru", phone: "+79161234567" });
      expect(customer.status).toBe(201);
      await stream.next((e) => e.event === "customers");
      expect((await call("POST", `/sandbox/customers/${customer.body.id}/messages?wait=0`, { text: "/start" })).status).toBe(200);
      const greeting = await stream.next(
        (e) => e.event === "message" && e.data.view.chatKey.endsWith(`:${customer.body.id}`) && e.data.view.from.kind === "bot",
      );
      expect(greeting.data.view.html).toContain("Demo Shop");
      const keyboard = await stream.next((e) => e.event === "keyboard" && e.data.chatKey === greeting.data.view.chatKey);
      expect(keyboard.data.keyboard.rows.flat()).toEqual([expect.objectContaining({ requestContact: true })]);
      await stream.close();
    });

    it(
      "skips to the delivery reminder, which the customer gets; the shop's webhooks are recorded with their signature " + "checked",
      async () => {
        const { examples } = (await call("GET", `/sandbox/examples?customerId=${anna}`)).body;
        const externalId = `CLOCK-${provider}`;
        const created = await shopApi("POST", "/orders", { externalId, ...examples[0].payload });
        expect(created.status).toBe(201);
        await expect
          .poll(async () => (await transcript()).some((m) => m.text.includes(externalId) && m.buttons.flat().includes("✅ Confirm")), poll)
          .toBe(true);
        const readBack = (await transcript()).findLast((m) => m.text.includes(externalId))!;
        expect((await call("POST", `/sandbox/customers/${anna}/tap`, { button: "✅ Confirm", messageId: readBack.id })).status).toBe(200);

        expect((await call("POST", "/sandbox/clock", { advanceMs: 3_600_000 })).body).toMatchObject({
          type: "moved",
          reason: "moved 1 h ahead",
        });
        await expect
          .poll(
            async () =>
              (await call("GET", "/sandbox/schedule")).body.jobs.some(
                (job: { kind: string; externalId: string }) => job.kind === "delivery.reminder" && job.externalId === externalId,
              ),
            poll,
          )
          .toBe(true);
        const next = (await call("POST", "/sandbox/clock", { next: true })).body;
        expect(next.reason).toBe(`next: delivery.reminder (${externalId})`);
        await expect
          .poll(
            async () => (await transcript()).some((m) => m.text.startsWith(`🚚 A reminder, Anna: your order ${externalId} arrives`)),
            poll,
          )
          .toBe(true);

        await expect
          .poll(
            async () =>
              (await call("GET", "/sandbox/webhooks")).body.webhooks.find(
                (w: any) => w.event === "order.confirmed" && w.body.data.order.externalId === externalId,
              ),
            poll,
          )
          .toMatchObject({ signatureValid: true });
      },
    );

    it("never moves the clock back", async () => {
      const moved = await call("POST", "/sandbox/clock", { to: "2020-01-01T00:00:00Z" });
      expect(moved.status).toBe(409);
      expect(moved.body.error.code).toBe("IN_THE_PAST");
    });

    it("says which place has no button when asked to tap by row and column, and refuses a place that cannot be", async () => {
      // The README's walkthrough taps the first day by its place (test/sandbox/readme-walkthrough.test.ts).
      const missing = await call("POST", `/sandbox/customers/${anna}/tap`, { row: 9, column: 9 });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({ code: "NO_SUCH_BUTTON", message: "No inline button in row 9, column 9 on screen." });
      for (const body of [{ row: 0, column: 1 }, { button: "✅ Confirm", row: 1, column: 1 }, { row: 1 }]) {
        const refused = await call("POST", `/sandbox/customers/${anna}/tap`, body);
        expect(refused.status, JSON.stringify(body)).toBe(400);
        expect(refused.body.error.code).toBe("VALIDATION_FAILED");
      }
    });

    it("offers example orders that the shop API accepts", async () => {
      // Last and a customer of their own: these orders stay open and would be the "next" things due.
      const customer = (
        await call("POST", "/sandbox/customers", { firstName: "Olga", languageCode: "en", phone: "+491709876543", startBot: true })
      ).body;
      const { examples } = (await call("GET", `/sandbox/examples?customerId=${customer.id}`)).body;
      expect(examples.map((e: { id: string }) => e.id)).toEqual(["courier", "short-item", "pickup", "choose-delivery", "start-link"]);
      for (const example of examples) {
        const created = await shopApi("POST", "/orders", { externalId: `EX-${example.id}-${provider}`, ...example.payload });
        expect(created.status, `${example.id}: ${created.text}`).toBe(201);
      }
    });
  });
}
