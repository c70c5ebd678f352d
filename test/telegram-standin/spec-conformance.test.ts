import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TelegramStandin, TelegramTestUser } from "../../src/telegram-standin/index.js";
import { createPng } from "../../src/telegram-standin/index.js";
import { shapeProblems } from "./spec-shape.js";
import { callApi, startWithBot, TOKEN } from "./standin-harness.js";

let standin: TelegramStandin;
let ann: TelegramTestUser;

beforeEach(async () => {
  standin = await startWithBot();
  ann = standin.addUser({ firstName: "Ann", lastName: "Lee", username: "ann_lee", languageCode: "en", phone: "+15550001" });
  await ann.sendText("/start");
});
afterEach(() => standin.close());

describe("requests checked against the official Bot API description", () => {
  it("answers 404 Not Found for a method Telegram does not have", async () => {
    const answer = await callApi(standin, "sendTelepathy", { chat_id: ann.id });
    expect(answer).toEqual({ status: 404, body: { ok: false, error_code: 404, description: "Not Found" } });
  });

  it("answers 401 Unauthorized for a token no bot has", async () => {
    const answer = await callApi(standin, "getMe", {}, "json", "1:wrong");
    expect(answer).toEqual({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
  });

  it("answers 400 with Telegram's wording when chat_id is missing", async () => {
    const answer = await callApi(standin, "sendMessage", { text: "hi" });
    expect(answer).toEqual({ status: 400, body: { ok: false, error_code: 400, description: "Bad Request: chat_id is empty" } });
  });

  it("answers 400 'message text is empty' when text is missing", async () => {
    const answer = await callApi(standin, "sendMessage", { chat_id: ann.id });
    expect(answer.body.description).toBe("Bad Request: message text is empty");
  });

  it("refuses a parameter the method does not have", async () => {
    const answer = await callApi(standin, "sendMessage", { chat_id: ann.id, text: "hi", colour: "red" });
    expect(answer.status).toBe(400);
    expect(answer.body.description).toBe('Bad Request: unknown parameter "colour" for method sendMessage');
  });

  it("refuses a parameter of the wrong type, top-level and nested", async () => {
    const top = await callApi(standin, "getUpdates", { offset: "soon" });
    expect(top.body.description).toBe('Bad Request: field "offset" must be of type Integer');
    const nested = await callApi(standin, "sendMessage", {
      chat_id: ann.id,
      text: "hi",
      reply_markup: { inline_keyboard: [[{ text: 5, callback_data: { no: 1 } }]] },
    });
    expect(nested.status).toBe(400);
    expect(nested.body.description).toMatch(
      /^Bad Request: can't parse reply_markup JSON object: field "inline_keyboard\[0\]\[0\]\.callback_data" must be of type String$/,
    );
    // Telegram ignores fields an object type does not have (Telegraf sends `hide` on buttons).
    const unknownField = await callApi(standin, "sendMessage", {
      chat_id: ann.id,
      text: "hi",
      reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go", hide: false }]] },
    });
    expect(unknownField.status).toBe(200);
    expect(unknownField.body.result.reply_markup).toEqual({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] });
  });

  it("answers a method that exists but is not simulated with 400, never a fake success", async () => {
    const answer = await callApi(standin, "sendPoll", { chat_id: ann.id, question: "?", options: [{ text: "a" }, { text: "b" }] });
    expect(answer).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: "Bad Request: method sendPoll is not supported by the local stand-in" },
    });
  });

  it.each(["json", "form", "multipart", "query"] as const)("accepts a %s request with JSON-serialized nested objects", async (encoding) => {
    const answer = await callApi(
      standin,
      "sendMessage",
      {
        chat_id: ann.id,
        text: `via ${encoding}`,
        disable_notification: true,
        reply_markup: { inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] },
      },
      encoding,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.result.text).toBe(`via ${encoding}`);
    expect(answer.body.result.reply_markup).toEqual({ inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] });
    expect(ann.lastBotMessage()?.text).toBe(`via ${encoding}`);
  });

  it("matches method names case-insensitively, as Telegram does", async () => {
    const answer = await callApi(standin, "GETME");
    expect(answer.body.result.username).toBe("shop_bot");
  });
});

describe("objects the stand-in returns have the shape of Telegram's", () => {
  it("getMe returns a bot User with every required field and no unknown ones", async () => {
    const me = await callApi(standin, "getMe");
    expect(me.body.result).toMatchObject({ is_bot: true, username: "shop_bot", can_join_groups: true });
    expect(shapeProblems(me.body.result, "User")).toEqual([]);
  });

  it("updates, messages, chats, topics, files and webhook info match their spec types", async () => {
    const group = standin.addForumGroup({ title: "Managers", members: [], admins: [ann] });
    await ann.sendPhoto({ width: 640, height: 480 }, { caption: "my parcel" });
    await ann.shareContact();
    const updates = await callApi(standin, "getUpdates");
    expect(updates.body.result).toHaveLength(3);
    for (const update of updates.body.result) expect(shapeProblems(update, "Update")).toEqual([]);

    const sent = await callApi(standin, "sendMessage", {
      chat_id: ann.id,
      text: "<b>Order</b> #42 <a href='https://shop.example/o/42'>details</a>",
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: [[{ text: "Confirm", callback_data: "confirm:42" }]] },
    });
    expect(shapeProblems(sent.body.result, "Message")).toEqual([]);

    const topic = await callApi(standin, "createForumTopic", { chat_id: group.id, name: "Order 42" });
    expect(shapeProblems(topic.body.result, "ForumTopic")).toEqual([]);
    const inTopic = await callApi(standin, "sendMessage", {
      chat_id: group.id,
      message_thread_id: topic.body.result.message_thread_id,
      text: "new order",
    });
    expect(shapeProblems(inTopic.body.result, "Message")).toEqual([]);

    const photo = await callApi(standin, "sendPhoto", { chat_id: ann.id, photo: updates.body.result[1].message.photo[0].file_id });
    expect(shapeProblems(photo.body.result, "Message")).toEqual([]);
    const file = await callApi(standin, "getFile", { file_id: photo.body.result.photo.at(-1).file_id });
    expect(shapeProblems(file.body.result, "File")).toEqual([]);

    for (const [method, params, type] of [
      ["getChat", { chat_id: ann.id }, "ChatFullInfo"],
      ["getChat", { chat_id: group.id }, "ChatFullInfo"],
      ["getChatMember", { chat_id: group.id, user_id: ann.id }, "ChatMember"],
      ["getChatMember", { chat_id: group.id, user_id: standin.world.bots.get(TOKEN)?.user.id }, "ChatMember"],
      ["getWebhookInfo", {}, "WebhookInfo"],
      ["getChatMenuButton", {}, "MenuButton"],
      ["copyMessage", { chat_id: group.id, from_chat_id: ann.id, message_id: 2 }, "MessageId"],
      ["forwardMessage", { chat_id: group.id, from_chat_id: ann.id, message_id: 2 }, "Message"],
    ] as const) {
      const answer = await callApi(standin, method, params);
      expect(answer.body.ok, `${method} ${answer.body.description}`).toBe(true);
      expect(shapeProblems(answer.body.result, type), method).toEqual([]);
    }
  });

  it("a document uploaded by a real multipart client comes back as a Document", async () => {
    const form = new FormData();
    form.append("chat_id", String(ann.id));
    form.append("document", new Blob([createPng({ width: 2, height: 2 })]), "label.png");
    form.append("caption", "your label");
    const response = await fetch(`${standin.url}/bot${TOKEN}/sendDocument`, { method: "POST", body: form });
    const body = (await response.json()) as { result: Record<string, unknown> };
    expect(body.result.document).toMatchObject({ file_name: "label.png", mime_type: "image/png" });
    expect(shapeProblems(body.result, "Message")).toEqual([]);
  });
});
