import type { Transformer } from "grammy";
import { telegramHtmlToPlainText } from "../shared/telegram-html.js";

/** Methods whose `text` Telegram formats with parse_mode. */
const textMethods = new Set(["sendMessage", "editMessageText"]);
/** Methods whose `caption` Telegram formats with parse_mode. */
const captionMethods = new Set([
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendAnimation",
  "sendAudio",
  "sendVoice",
  "editMessageCaption",
  "copyMessage",
]);

type Payload = Record<string, unknown>;
type Button = { text?: unknown } & Record<string, unknown>;

/**
 * Every text ordergram writes is Telegram HTML: its texts are, and every value put into them
 * (a customer's name, an item) is escaped. So every text and caption goes out with parse_mode
 * HTML unless the call says otherwise (a forgotten parse_mode would show "Tea &amp; Co" to the
 * customer), and where Telegram shows plain text only (button labels, callback answers, forum
 * topic names) the HTML is turned into the plain text it stands for.
 */
export const telegramHtmlDefaults: Transformer = (prev, method, payload, signal) => {
  const input = payload as Payload;
  const output: Payload = { ...input };
  const formatted = textMethods.has(method) ? "text" : captionMethods.has(method) ? "caption" : null;
  if (
    formatted &&
    typeof input[formatted] === "string" &&
    input.parse_mode === undefined &&
    input[formatted === "text" ? "entities" : "caption_entities"] === undefined
  ) {
    output.parse_mode = "HTML";
  }
  if (input.reply_markup !== undefined) output.reply_markup = plainButtons(input.reply_markup);
  if (method === "answerCallbackQuery" && typeof input.text === "string") output.text = telegramHtmlToPlainText(input.text);
  if ((method === "createForumTopic" || method === "editForumTopic") && typeof input.name === "string")
    output.name = telegramHtmlToPlainText(input.name);
  return prev(method, output as typeof payload, signal);
};

function plainButtons(markup: unknown): unknown {
  if (typeof markup !== "object" || markup === null) return markup;
  const rows = markup as { inline_keyboard?: unknown; keyboard?: unknown };
  const plainRows = (keyboard: unknown) =>
    Array.isArray(keyboard)
      ? keyboard.map((row: unknown) =>
          Array.isArray(row)
            ? row.map((button: Button | string) =>
                typeof button === "string"
                  ? telegramHtmlToPlainText(button)
                  : typeof button?.text === "string"
                    ? { ...button, text: telegramHtmlToPlainText(button.text) }
                    : button,
              )
            : row,
        )
      : keyboard;
  return {
    ...rows,
    ...(rows.inline_keyboard !== undefined ? { inline_keyboard: plainRows(rows.inline_keyboard) } : {}),
    ...(rows.keyboard !== undefined ? { keyboard: plainRows(rows.keyboard) } : {}),
  };
}
