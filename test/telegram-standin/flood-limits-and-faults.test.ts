import { afterEach, describe, expect, it } from "vitest";
import type { TelegramStandin } from "../../src/telegram-standin/index.js";
import { callApi, startWithBot } from "./standin-harness.js";

let standin: TelegramStandin;
let now: Date;
afterEach(() => standin.close());

async function startAt(options: Parameters<typeof startWithBot>[0]): Promise<void> {
  now = new Date("2026-03-01T10:00:00Z");
  standin = await startWithBot({ now: () => now, ...options });
}

async function customers(count: number) {
  const users = [];
  for (let i = 0; i < count; i++) {
    const user = standin.addUser({ firstName: `Customer ${i}` });
    await user.sendText("/start");
    users.push(user);
  }
  return users;
}

const tick = (ms: number) => (now = new Date(now.getTime() + ms));

describe("Telegram's flood limits, when switched on", () => {
  it("lets a short burst into one chat, then answers 429 with retry_after until a second passes", async () => {
    await startAt({ floodLimits: true });
    const [ann] = await customers(1);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await callApi(standin, "sendMessage", { chat_id: ann?.id, text: `m${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await callApi(standin, "sendMessage", { chat_id: ann?.id, text: "again" });
    expect(refused.body).toEqual({
      ok: false,
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    tick(1000);
    expect((await callApi(standin, "sendMessage", { chat_id: ann?.id, text: "after waiting" })).status).toBe(200);
    expect(standin.tooManyRequestsSent).toBe(2);
    expect(ann?.messages.filter((message) => message.from?.is_bot)).toHaveLength(4);
  });

  it("allows 20 messages a minute into a group, across all its topics", async () => {
    await startAt({ floodLimits: { perChatBurst: 100 } });
    const [max] = await customers(1);
    const group = standin.addForumGroup({ title: "Managers", members: [], admins: max ? [max] : [] });
    const topicA = (await callApi(standin, "createForumTopic", { chat_id: group.id, name: "A" })).body.result.message_thread_id;
    const topicB = (await callApi(standin, "createForumTopic", { chat_id: group.id, name: "B" })).body.result.message_thread_id;
    for (let i = 0; i < 20; i++) {
      const answer = await callApi(standin, "sendMessage", {
        chat_id: group.id,
        message_thread_id: i % 2 ? topicA : topicB,
        text: `n${i}`,
      });
      expect(answer.status).toBe(200);
      tick(1000);
    }
    const refused = await callApi(standin, "sendMessage", { chat_id: group.id, message_thread_id: topicA, text: "one too many" });
    expect(refused.body.error_code).toBe(429);
    expect(refused.body.parameters?.retry_after).toBe(40);
    tick(40_000);
    expect((await callApi(standin, "sendMessage", { chat_id: group.id, text: "fine again" })).status).toBe(200);
  });

  it("allows 30 messages a second in all, across chats", async () => {
    await startAt({ floodLimits: true });
    const users = await customers(31);
    const statuses = [];
    for (const user of users) statuses.push((await callApi(standin, "sendMessage", { chat_id: user.id, text: "sale!" })).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(30);
    expect(statuses.at(-1)).toBe(429);
  });

  it("does not limit anything when flood limits are off (the default)", async () => {
    await startAt({});
    const [ann] = await customers(1);
    for (let i = 0; i < 10; i++) expect((await callApi(standin, "sendMessage", { chat_id: ann?.id, text: `m${i}` })).status).toBe(200);
  });
});

describe("injected failures", () => {
  it("fails the next matching calls with 429, 5xx or 403, then works again", async () => {
    await startAt({});
    const [ann, bob] = await customers(2);
    standin.injectFault({ method: "sendMessage", chatId: ann?.id, error: 429, retryAfter: 7 });
    standin.injectFault({ method: "sendMessage", error: 502, times: 2 });
    standin.injectFault({ method: "sendPhoto", error: 500 });
    standin.injectFault({ chatId: bob?.id, error: 403 });

    const flood = await callApi(standin, "sendMessage", { chat_id: ann?.id, text: "x" });
    expect(flood.body).toEqual({
      ok: false,
      error_code: 429,
      description: "Too Many Requests: retry after 7",
      parameters: { retry_after: 7 },
    });
    expect((await callApi(standin, "sendMessage", { chat_id: ann?.id, text: "x" })).body).toEqual({
      ok: false,
      error_code: 502,
      description: "Bad Gateway",
    });
    expect((await callApi(standin, "sendMessage", { chat_id: ann?.id, text: "x" })).status).toBe(502);
    expect((await callApi(standin, "sendPhoto", { chat_id: ann?.id, photo: "x" })).body.description).toBe("Internal Server Error");
    expect((await callApi(standin, "sendChatAction", { chat_id: bob?.id, action: "typing" })).body).toEqual({
      ok: false,
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    expect((await callApi(standin, "sendMessage", { chat_id: ann?.id, text: "through" })).status).toBe(200);
    expect(standin.tooManyRequestsSent).toBe(1);
  });

  it("reports every API call and update on the event stream", async () => {
    await startAt({});
    const calls: string[] = [];
    const updates: number[] = [];
    standin.events.on("api-call", (event) => calls.push(`${event.method}:${event.outcome.ok ? "ok" : event.outcome.error_code}`));
    standin.events.on("update", (event) => updates.push(event.update.update_id));
    const [ann] = await customers(1);
    await callApi(standin, "sendMessage", { chat_id: ann?.id, text: "hi" });
    await callApi(standin, "sendMessage", { chat_id: ann?.id });
    expect(calls).toEqual(["sendMessage:ok", "sendMessage:400"]);
    expect(updates).toHaveLength(1);
    expect(standin.chats().map((chat) => [chat.chat.type, chat.messageCount])).toEqual([["private", 2]]);
  });
});
