import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TelegramStandin, TelegramTestUser } from "../../src/telegram-standin/index.js";
import { parseTelegramHtml } from "../../src/telegram-standin/index.js";
import { callApi, startWithBot } from "./standin-harness.js";

let standin: TelegramStandin;
let ann: TelegramTestUser;
let now: Date;

beforeEach(async () => {
  now = new Date("2026-03-01T10:00:00Z");
  standin = await startWithBot({ now: () => now });
  ann = standin.addUser({ firstName: "Ann", phone: "+15550001" });
});
afterEach(() => standin.close());

const send = (params: Record<string, unknown>) => callApi(standin, "sendMessage", { chat_id: ann.id, ...params });

describe("who the bot may write to", () => {
  it("cannot write first to a user who never opened the chat", async () => {
    const answer = await send({ text: "Your order is confirmed" });
    expect(answer).toEqual({
      status: 403,
      body: { ok: false, error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" },
    });
  });

  it("gets 403 'bot was blocked by the user' after the user blocks it, and a my_chat_member update", async () => {
    await ann.sendText("/start");
    ann.block();
    const answer = await send({ text: "Still there?" });
    expect(answer.body).toEqual({ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    const updates = (await callApi(standin, "getUpdates")).body.result;
    expect(updates.at(-1).my_chat_member.new_chat_member.status).toBe("kicked");
    ann.unblock();
    expect((await send({ text: "Welcome back" })).body.ok).toBe(true);
  });

  it("answers 'chat not found' for a chat that does not exist", async () => {
    const answer = await callApi(standin, "sendMessage", { chat_id: 424242, text: "hi" });
    expect(answer.body.description).toBe("Bad Request: chat not found");
  });
});

describe("messages the bot sends", () => {
  beforeEach(() => ann.sendText("/start").then(() => undefined));

  it("are real messages: per-chat ids, the bot as sender, a private chat, dates in seconds", async () => {
    const first = (await send({ text: "Hello" })).body.result;
    const second = (await send({ text: "Again" })).body.result;
    expect(first).toMatchObject({
      message_id: 2,
      from: { is_bot: true, username: "shop_bot" },
      chat: { id: ann.id, type: "private", first_name: "Ann" },
      date: Math.floor(now.getTime() / 1000),
      text: "Hello",
    });
    expect(second.message_id).toBe(3);
    expect(ann.messages.map((message) => message.text)).toEqual(["/start", "Hello", "Again"]);
  });

  it("refuses empty text, too long text and oversized callback data with Telegram's errors", async () => {
    expect((await send({ text: "   " })).body.description).toBe("Bad Request: message text is empty");
    expect((await send({ text: "x".repeat(4097) })).body.description).toBe("Bad Request: message is too long");
    expect((await send({ text: "x".repeat(4096) })).body.ok).toBe(true);
    const tooMuchData = await send({ text: "Pick", reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a".repeat(65) }]] } });
    expect(tooMuchData.body.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    const plain = await send({ text: "Pick", reply_markup: { inline_keyboard: [[{ text: "A" }]] } });
    expect(plain.body.description).toBe("Bad Request: text buttons are unallowed in the inline keyboard");
    const rows = (n: number) => Array.from({ length: n }, (_, i) => [{ text: `B${i}`, callback_data: `b${i}` }]);
    expect((await send({ text: "Pick", reply_markup: { inline_keyboard: rows(101) } })).body.description).toBe(
      "Bad Request: reply markup is too long",
    );
    expect((await send({ text: "Pick", reply_markup: { inline_keyboard: rows(100) } })).body.ok).toBe(true);
  });

  it("turns parse_mode HTML into text and entities like Telegram", async () => {
    const answer = await send({
      text:
        '<b>Order <i>#42</i></b> &amp; <a href="https://shop.example">site</a> <code>X1</code> <tg-spoiler>s</tg-spoiler> <span ' +
        'class="tg-spoiler">t</span> <blockquote>q</blockquote>',
      parse_mode: "HTML",
    });
    expect(answer.body.result.text).toBe("Order #42 & site X1 s t q");
    expect(answer.body.result.entities).toEqual([
      { offset: 0, length: 9, type: "bold" },
      { offset: 6, length: 3, type: "italic" },
      { offset: 12, length: 4, type: "text_link", url: "https://shop.example" },
      { offset: 17, length: 2, type: "code" },
      { offset: 20, length: 1, type: "spoiler" },
      { offset: 22, length: 1, type: "spoiler" },
      { offset: 24, length: 1, type: "blockquote" },
    ]);
  });

  it("refuses broken or unsupported HTML with 'can't parse entities'", async () => {
    const unclosed = await send({ text: "<b>bold", parse_mode: "HTML" });
    expect(unclosed.body.description).toBe(`Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`);
    const unsupported = await send({ text: "a<br>b", parse_mode: "HTML" });
    expect(unsupported.body.description).toBe(`Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 1`);
    const crossed = await send({ text: "<b><i>x</b></i>", parse_mode: "HTML" });
    expect(crossed.body.description).toBe(
      `Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`,
    );
  });

  it("counts entity offsets in UTF-16 units and reads pre with a language", () => {
    const parsed = parseTelegramHtml('😀 <b>ok</b>\n<pre><code class="language-ts">x</code></pre>', () => undefined);
    expect(parsed).toEqual({
      ok: true,
      text: "😀 ok\nx",
      entities: [
        { offset: 3, length: 2, type: "bold" },
        { offset: 6, length: 1, type: "pre", language: "ts" },
      ],
    });
  });

  it("edits text and keyboard, and says 'message is not modified' for an identical edit", async () => {
    const keyboard = { inline_keyboard: [[{ text: "Confirm", callback_data: "confirm" }]] };
    const sent = (await send({ text: "Order #42", reply_markup: keyboard })).body.result;
    const same = await callApi(standin, "editMessageText", {
      chat_id: ann.id,
      message_id: sent.message_id,
      text: "Order #42",
      reply_markup: keyboard,
    });
    expect(same.body.description).toBe(
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content " +
        "and reply markup of the message",
    );
    now = new Date(now.getTime() + 5000);
    const edited = await callApi(standin, "editMessageText", { chat_id: ann.id, message_id: sent.message_id, text: "Order #42 confirmed" });
    expect(edited.body.result).toMatchObject({ text: "Order #42 confirmed", edit_date: Math.floor(now.getTime() / 1000) });
    expect(edited.body.result.reply_markup).toBeUndefined();
    expect(ann.messages.at(-1)).toMatchObject({ text: "Order #42 confirmed" });
    expect(ann.messages.at(-1)?.reply_markup).toBeUndefined();

    const markup = await callApi(standin, "editMessageReplyMarkup", {
      chat_id: ann.id,
      message_id: sent.message_id,
      reply_markup: keyboard,
    });
    expect(markup.body.result.reply_markup).toEqual(keyboard);
    const missing = await callApi(standin, "editMessageText", { chat_id: ann.id, message_id: 999, text: "x" });
    expect(missing.body.description).toBe("Bad Request: message to edit not found");
    const notOwn = await callApi(standin, "editMessageText", { chat_id: ann.id, message_id: 1, text: "x" });
    expect(notOwn.body.description).toBe("Bad Request: message can't be edited");
  });

  it("deletes its messages, which then vanish from the user's chat", async () => {
    const sent = (await send({ text: "Oops" })).body.result;
    expect((await callApi(standin, "deleteMessage", { chat_id: ann.id, message_id: sent.message_id })).body.result).toBe(true);
    expect(ann.messages.map((message) => message.text)).toEqual(["/start"]);
    const again = await callApi(standin, "deleteMessage", { chat_id: ann.id, message_id: sent.message_id });
    expect(again.body.description).toBe("Bad Request: message to delete not found");
  });
});

describe("what the user does", () => {
  beforeEach(() => ann.sendText("/start").then(() => undefined));

  it("sends commands with a bot_command entity", async () => {
    const updates = (await callApi(standin, "getUpdates")).body.result;
    expect(updates[0].message).toMatchObject({ text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] });
  });

  it("taps an inline button: the bot gets a callback query, the user sees the answer", async () => {
    const sent = (
      await send({ text: "Confirm order?", reply_markup: { inline_keyboard: [[{ text: "Yes", callback_data: "confirm:42" }]] } })
    ).body.result;
    const pending = (await callApi(standin, "getUpdates")).body.result;
    await callApi(standin, "getUpdates", { offset: pending.at(-1).update_id + 1 });
    const tap = ann.tapButton("Yes");
    const poll = await callApi(standin, "getUpdates", { timeout: 2 });
    const query = poll.body.result[0].callback_query;
    expect(query).toMatchObject({ from: { id: ann.id }, data: "confirm:42", message: { message_id: sent.message_id } });
    await callApi(standin, "answerCallbackQuery", { callback_query_id: query.id, text: "Confirmed!" });
    expect(await tap).toEqual({ answered: true, text: "Confirmed!", showAlert: false });
    const twice = await callApi(standin, "answerCallbackQuery", { callback_query_id: query.id });
    expect(twice.body.description).toBe("Bad Request: query is too old and response timeout expired or query ID is invalid");
  });

  it("a tap the bot never answers reports answered: false after the timeout", async () => {
    await send({ text: "Pick", reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } });
    expect(await ann.tapButton("a", { timeoutMs: 50 })).toEqual({ answered: false, showAlert: false });
  });

  it("shares a contact through the reply keyboard button", async () => {
    await send({
      text: "Share your phone",
      reply_markup: { keyboard: [[{ text: "Share phone", request_contact: true }]], one_time_keyboard: true },
    });
    const message = await ann.pressReplyButton("Share phone");
    expect(message.contact).toEqual({ phone_number: "+15550001", first_name: "Ann", user_id: ann.id });
    expect(ann.replyKeyboard()).toBeUndefined();
    const updates = (await callApi(standin, "getUpdates")).body.result;
    expect(updates.at(-1).message.contact.user_id).toBe(ann.id);
  });

  it("editing their message gives the bot an edited_message update", async () => {
    const mine = await ann.sendText("Adress: Main st 1");
    await ann.editText(mine.message_id, "Address: Main st 1");
    const updates = (await callApi(standin, "getUpdates")).body.result;
    expect(updates.at(-1).edited_message).toMatchObject({ message_id: mine.message_id, text: "Address: Main st 1" });
  });

  it("waitForMessage resolves with the bot's reply, or fails listing the chat", async () => {
    const waiting = ann.waitForMessage((message) => message.text?.includes("Thanks") === true);
    await send({ text: "Processing" });
    await send({ text: "Thanks for your order" });
    expect((await waiting).text).toBe("Thanks for your order");
    await expect(ann.waitForMessage(undefined, { timeoutMs: 30 })).rejects.toThrow(/waited 30 ms .*\n.*#1 Ann: \/start/);
  });
});
