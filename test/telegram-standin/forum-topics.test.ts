import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TelegramStandin, TelegramTestGroup, TelegramTestUser } from "../../src/telegram-standin/index.js";
import { callApi, startWithBot } from "./standin-harness.js";

let standin: TelegramStandin;
let manager: TelegramTestUser;
let intern: TelegramTestUser;
let group: TelegramTestGroup;

beforeEach(async () => {
  standin = await startWithBot();
  manager = standin.addUser({ firstName: "Max" });
  intern = standin.addUser({ firstName: "Iris" });
  group = standin.addForumGroup({ title: "Shop managers", members: [intern], admins: [manager] });
});
afterEach(() => standin.close());

async function createTopic(name: string): Promise<number> {
  const answer = await callApi(standin, "createForumTopic", { chat_id: group.id, name });
  return answer.body.result.message_thread_id;
}

describe("forum topics in the managers' supergroup", () => {
  it("is a forum supergroup with a -100… id", async () => {
    const chat = (await callApi(standin, "getChat", { chat_id: group.id })).body.result;
    expect(chat).toMatchObject({ type: "supergroup", is_forum: true, title: "Shop managers" });
    expect(String(group.id)).toMatch(/^-100\d{10}$/);
  });

  it("creates a topic and posts into it as a topic message", async () => {
    const topic = await callApi(standin, "createForumTopic", { chat_id: group.id, name: "Order 42 · Ann" });
    expect(topic.body.result).toEqual({ message_thread_id: expect.any(Number), name: "Order 42 · Ann", icon_color: 0x6fb9f0 });
    const threadId = topic.body.result.message_thread_id;
    const sent = await callApi(standin, "sendMessage", { chat_id: group.id, message_thread_id: threadId, text: "New order" });
    expect(sent.body.result).toMatchObject({ message_thread_id: threadId, is_topic_message: true, chat: { id: group.id, is_forum: true } });
    expect(standin.messages(group.id, { threadId }).map((message) => message.text ?? "(service)")).toEqual(["(service)", "New order"]);
  });

  it("delivers what a manager writes in a topic to the bot, with the thread id", async () => {
    const threadId = await createTopic("Order 7");
    await manager.sendText("I'll take it", { chat: group, threadId });
    const updates = (await callApi(standin, "getUpdates")).body.result;
    expect(updates.at(-1).message).toMatchObject({
      text: "I'll take it",
      message_thread_id: threadId,
      is_topic_message: true,
      from: { first_name: "Max" },
      chat: { id: group.id, type: "supergroup" },
    });
  });

  it("answers 'message thread not found' after a person deleted the topic", async () => {
    const threadId = await createTopic("Order 9");
    await callApi(standin, "sendMessage", { chat_id: group.id, message_thread_id: threadId, text: "card" });
    standin.deleteTopic(group.id, threadId);
    const answer = await callApi(standin, "sendMessage", { chat_id: group.id, message_thread_id: threadId, text: "still there?" });
    expect(answer.body).toEqual({ ok: false, error_code: 400, description: "Bad Request: message thread not found" });
    expect(standin.messages(group.id, { threadId })).toEqual([]);
    expect(await createTopic("Order 9")).toBeGreaterThan(threadId);
  });

  it("closes, reopens, renames and deletes topics", async () => {
    const threadId = await createTopic("Order 11");
    expect((await callApi(standin, "closeForumTopic", { chat_id: group.id, message_thread_id: threadId })).body.result).toBe(true);
    expect(standin.topics(group.id)[0]).toMatchObject({ closed: true });
    await expect(intern.sendText("hi", { chat: group, threadId })).rejects.toThrow('Topic "Order 11" is closed');
    expect((await callApi(standin, "sendMessage", { chat_id: group.id, message_thread_id: threadId, text: "admin bot may" })).body.ok).toBe(
      true,
    );
    expect((await callApi(standin, "reopenForumTopic", { chat_id: group.id, message_thread_id: threadId })).body.result).toBe(true);
    await callApi(standin, "editForumTopic", { chat_id: group.id, message_thread_id: threadId, name: "Order 11 · done" });
    expect(standin.topics(group.id)[0]).toMatchObject({ name: "Order 11 · done", closed: false });
    expect((await callApi(standin, "deleteForumTopic", { chat_id: group.id, message_thread_id: threadId })).body.result).toBe(true);
    const again = await callApi(standin, "closeForumTopic", { chat_id: group.id, message_thread_id: threadId });
    expect(again.body.description).toBe("Bad Request: TOPIC_ID_INVALID");
  });

  it("renames a topic as Telegram does: an empty name keeps it, the same name or nothing to change is refused", async () => {
    const threadId = await createTopic("Anna · A-1");
    const edit = (params: Record<string, unknown>) =>
      callApi(standin, "editForumTopic", { chat_id: group.id, message_thread_id: threadId, ...params });
    expect((await edit({ name: "⛔ Anna · A-1" })).body).toEqual({ ok: true, result: true });
    expect(standin.topics(group.id)[0]).toMatchObject({ name: "⛔ Anna · A-1" });
    expect((await edit({ name: "⛔ Anna · A-1" })).body).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: TOPIC_NOT_MODIFIED",
    });
    expect((await edit({})).body.description).toBe("Bad Request: TOPIC_NOT_MODIFIED");
    expect((await edit({ name: "", icon_custom_emoji_id: "5312536423851630001" })).body.result).toBe(true);
    expect(standin.topics(group.id)[0]).toMatchObject({ name: "⛔ Anna · A-1", icon_custom_emoji_id: "5312536423851630001" });
    expect((await edit({ name: "x".repeat(129) })).body.ok).toBe(false);
    const service = standin
      .messages(group.id, { threadId })
      .flatMap((message) => (message.forum_topic_edited ? [message.forum_topic_edited] : []));
    expect(service).toEqual([{ name: "⛔ Anna · A-1" }, { icon_custom_emoji_id: "5312536423851630001" }]);
  });

  it("refuses topics in a chat that is not a forum", async () => {
    const plain = standin.addSupergroup({ title: "Plain", members: [manager] });
    const answer = await callApi(standin, "createForumTopic", { chat_id: plain.id, name: "x" });
    expect(answer.body.description).toBe("Bad Request: the chat is not a forum");
  });
});
