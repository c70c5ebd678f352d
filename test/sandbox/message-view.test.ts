import type { Message } from "@grammyjs/types";
import { describe, expect, it } from "vitest";
import { entitiesToHtml, messageView, replyKeyboardView } from "../../src/sandbox/message-view.js";
import { parseTelegramHtml } from "../../src/shared/telegram-html.js";

/** What the bot sends in HTML parse mode, as the stand-in stores it: text plus entities. */
const fromBotHtml = (html: string) => {
  const parsed = parseTelegramHtml(html, () => undefined);
  if (!parsed.ok) throw new Error(parsed.error);
  return entitiesToHtml(parsed.text, parsed.entities);
};

describe("a message as the sandbox page draws it", () => {
  it("should draw the bot's formatting, nested, from the entities", () => {
    expect(fromBotHtml("<b>Total: <i>€26.80</i></b>\nName: Anna")).toBe("<b>Total: <i>€26.80</i></b>\nName: Anna");
    expect(fromBotHtml('<a href="https://shop.example/track?id=1&amp;x=2">Track <b>it</b></a>')).toBe(
      '<a href="https://shop.example/track?id=1&amp;x=2" target="_blank" rel="noopener noreferrer">Track <b>it</b></a>',
    );
    expect(fromBotHtml("<code>JJD0001</code> <s>old</s> <u>new</u> <tg-spoiler>secret</tg-spoiler>")).toBe(
      '<code>JJD0001</code> <s>old</s> <u>new</u> <span class="spoiler" tabindex="0">secret</span>',
    );
  });

  it("should count offsets in UTF-16 units, as Telegram does, so emoji before an entity do not shift it", () => {
    expect(fromBotHtml("🚚🧾 <b>A reminder</b>, Anna")).toBe("🚚🧾 <b>A reminder</b>, Anna");
  });

  it("should escape everything a customer or a shop wrote, and never link to javascript:", () => {
    expect(entitiesToHtml('<img src=x onerror="alert(1)"> & "quotes"')).toBe(
      "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;quotes&quot;",
    );
    expect(entitiesToHtml("click", [{ type: "text_link", offset: 0, length: 5, url: "javascript:alert(1)" }])).toBe("click");
  });

  it("should keep inline buttons, the photo, the topic and who wrote it", () => {
    const message = {
      message_id: 7,
      message_thread_id: 3,
      is_topic_message: true,
      from: { id: 100000002, is_bot: false, first_name: "Maria", last_name: "Manager" },
      chat: { id: -1001, type: "supergroup", title: "Managers" },
      date: 1_800_000_000,
      caption: "the box",
      photo: [
        { file_id: "small", file_unique_id: "s", width: 90, height: 60 },
        { file_id: "big", file_unique_id: "b", width: 480, height: 320 },
      ],
      reply_markup: {
        inline_keyboard: [
          [
            { text: "🙋 Take", callback_data: "og:h:t:1" },
            { text: "Site", url: "https://shop.example" },
          ],
        ],
      },
    } as unknown as Message;
    expect(messageView(message, "chat:-1001", { kind: "user", userId: 100000002 })).toMatchObject({
      id: 7,
      threadId: 3,
      from: { kind: "user", id: 100000002, name: "Maria Manager" },
      html: "the box",
      photo: { url: "/sandbox/files/big", width: 480, height: 320 },
      buttons: [
        [
          { text: "🙋 Take", kind: "callback" },
          { text: "Site", kind: "url", url: "https://shop.example" },
        ],
      ],
      date: 1_800_000_000,
      edited: false,
    });
  });

  it("should mark reply-keyboard buttons that share the contact", () => {
    expect(
      replyKeyboardView({
        keyboard: [[{ text: "📱 Share my phone number", request_contact: true }], ["Later"]],
        input_field_placeholder: "Your phone",
      }),
    ).toEqual({
      rows: [
        [{ text: "📱 Share my phone number", requestContact: true, requestLocation: false }],
        [{ text: "Later", requestContact: false, requestLocation: false }],
      ],
      placeholder: "Your phone",
    });
    expect(replyKeyboardView(undefined)).toBeNull();
  });
});
