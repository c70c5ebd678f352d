import { telegramHtmlToPlainText } from "./telegram-html.js";

/**
 * What Telegram refuses with 400 (Bot API: sendMessage, InlineKeyboardMarkup): a text over 4096
 * characters, a caption over 1024, callback data over 64 bytes, more than 100 inline buttons.
 * Every message the bot composes is built to stay inside them.
 */
export const telegramLimits = { text: 4096, caption: 1024, callbackDataBytes: 64, inlineButtons: 100 } as const;

/** What Telegram counts against the limit: the characters the chat shows once the HTML is parsed. */
export const visibleLength = (html: string): number => telegramHtmlToPlainText(html).length;

/**
 * Lines (HTML, each whole in itself) packed into as few messages as the limit allows, in order,
 * never splitting a line; a single line longer than the limit has a message of its own, cut.
 */
export function packLines(lines: readonly string[], limit: number = telegramLimits.text): string[] {
  const messages: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const line of lines) {
    const size = visibleLength(line);
    const joined = current.length ? length + 1 + size : size;
    if (current.length && joined > limit) {
      messages.push(current.join("\n"));
      current = [];
      length = 0;
    }
    if (size > limit) {
      messages.push(`${telegramHtmlToPlainText(line).slice(0, limit - 1)}…`.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!));
      continue;
    }
    length = current.length ? length + 1 + size : size;
    current.push(line);
  }
  if (current.length) messages.push(current.join("\n"));
  return messages;
}
