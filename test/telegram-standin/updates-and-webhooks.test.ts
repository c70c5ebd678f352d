import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TelegramStandin, TelegramTestUser } from "../../src/telegram-standin/index.js";
import { callApi, startWithBot } from "./standin-harness.js";

let standin: TelegramStandin;
let ann: TelegramTestUser;

beforeEach(async () => {
  standin = await startWithBot({ webhookRetryDelaysMs: [20] });
  ann = standin.addUser({ firstName: "Ann" });
});
afterEach(() => standin.close());

const texts = (updates: Array<{ message?: { text?: string } }>) => updates.map((update) => update.message?.text);

describe("getUpdates", () => {
  it("keeps updates until a higher offset confirms them", async () => {
    await ann.sendText("one");
    await ann.sendText("two");
    await ann.sendText("three");
    const first = await callApi(standin, "getUpdates");
    expect(texts(first.body.result)).toEqual(["one", "two", "three"]);
    const ids = first.body.result.map((update: { update_id: number }) => update.update_id);
    expect(ids).toEqual([ids[0], ids[0] + 1, ids[0] + 2]);
    const again = await callApi(standin, "getUpdates", { offset: ids[1] });
    expect(texts(again.body.result)).toEqual(["two", "three"]);
    const limited = await callApi(standin, "getUpdates", { limit: 1 });
    expect(texts(limited.body.result)).toEqual(["two"]);
    const rest = await callApi(standin, "getUpdates", { offset: ids[2] + 1 });
    expect(rest.body.result).toEqual([]);
  });

  it("a negative offset returns the last updates and forgets the older ones", async () => {
    for (const text of ["a", "b", "c", "d"]) await ann.sendText(text);
    const last = await callApi(standin, "getUpdates", { offset: -2 });
    expect(texts(last.body.result)).toEqual(["c", "d"]);
    const after = await callApi(standin, "getUpdates");
    expect(texts(after.body.result)).toEqual(["c", "d"]);
  });

  it("a long poll returns as soon as the user writes", async () => {
    const started = Date.now();
    const poll = callApi(standin, "getUpdates", { timeout: 10 });
    setTimeout(() => void ann.sendText("hello"), 100);
    const answer = await poll;
    expect(texts(answer.body.result)).toEqual(["hello"]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("a long poll with nothing to deliver returns an empty list after the timeout", async () => {
    const started = Date.now();
    const answer = await callApi(standin, "getUpdates", { timeout: 1 });
    expect(answer.body).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("a second poller ends the first with 409 Conflict", async () => {
    const first = callApi(standin, "getUpdates", { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = callApi(standin, "getUpdates", { timeout: 0 });
    expect((await first).body).toEqual({
      ok: false,
      error_code: 409,
      description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    expect((await second).body.ok).toBe(true);
  });

  it("allowed_updates filters updates created afterwards and is remembered", async () => {
    await callApi(standin, "getUpdates", { allowed_updates: ["callback_query"] });
    await ann.sendText("ignored by the filter");
    expect((await callApi(standin, "getUpdates")).body.result).toEqual([]);
    await callApi(standin, "getUpdates", { allowed_updates: [] });
    await ann.sendText("default set again");
    expect(texts((await callApi(standin, "getUpdates")).body.result)).toEqual(["default set again"]);
  });

  it("refuses getUpdates while a webhook is set", async () => {
    await callApi(standin, "setWebhook", { url: "http://127.0.0.1:9/hook" });
    const answer = await callApi(standin, "getUpdates");
    expect(answer.body).toEqual({
      ok: false,
      error_code: 409,
      description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
  });
});

describe("webhooks", () => {
  let receiver: Server;
  let received: Array<{ headers: IncomingHttpHeaders; body: { update_id: number; message?: { text?: string } } }>;
  let failuresLeft: number;
  let hookUrl: string;

  beforeEach(async () => {
    received = [];
    failuresLeft = 0;
    receiver = createServer((request, response) => {
      let raw = "";
      request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      request.on("end", () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          response.writeHead(500).end();
          return;
        }
        received.push({ headers: request.headers, body: JSON.parse(raw) });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/telegram`;
  });
  afterEach(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(check()).toBe(true);
  }

  it("posts each update in order with the secret token header", async () => {
    await ann.sendText("waiting before the webhook");
    await callApi(standin, "setWebhook", { url: hookUrl, secret_token: "s3cret_token" });
    await ann.sendText("after");
    await until(() => received.length === 2);
    expect(received.map((request) => request.body.message?.text)).toEqual(["waiting before the webhook", "after"]);
    expect(received.every((request) => request.headers["x-telegram-bot-api-secret-token"] === "s3cret_token")).toBe(true);
    expect((await callApi(standin, "getWebhookInfo")).body.result).toMatchObject({ url: hookUrl, pending_update_count: 0 });
  });

  it("retries after a failing answer and reports the error in getWebhookInfo", async () => {
    failuresLeft = 2;
    await callApi(standin, "setWebhook", { url: hookUrl });
    await ann.sendText("retry me");
    await until(() => received.length === 1);
    expect(received[0]?.body.message?.text).toBe("retry me");
    const info = (await callApi(standin, "getWebhookInfo")).body.result;
    expect(info.last_error_message).toBe("Wrong response from the webhook: 500 Internal Server Error");
    expect(info.pending_update_count).toBe(0);
  });

  it("drop_pending_updates discards what was waiting, and deleteWebhook re-enables getUpdates", async () => {
    await ann.sendText("stale");
    await callApi(standin, "setWebhook", { url: "http://127.0.0.1:9/unreachable", drop_pending_updates: true });
    expect((await callApi(standin, "getWebhookInfo")).body.result.pending_update_count).toBe(0);
    await callApi(standin, "deleteWebhook");
    await ann.sendText("fresh");
    expect(texts((await callApi(standin, "getUpdates")).body.result)).toEqual(["fresh"]);
  });
});
