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

/**
 * How many entries of a list fit one message: the largest `shown` (from `total` down to 0) for
 * which `build(shown)`, the message with the first `shown` entries and a line for the rest, is
 * within the limit.
 */
export function entriesThatFit(build: (shown: number) => string, total: number, limit: number = telegramLimits.text): number {
  if (visibleLength(build(total)) <= limit) return total;
  let fits = 0;
  for (let low = 1, high = total - 1; low <= high; ) {
    const middle = Math.floor((low + high) / 2);
    if (visibleLength(build(middle)) <= limit) [fits, low] = [middle, middle + 1];
    else high = middle - 1;
  }
  return fits;
}

/** Up to this many choice buttons show at once; a longer list comes in pages of `choicesPerPage`. */
const choicesOnOnePage = 12;
const choicesPerPage = 10;

/** The page of a list of `length` choice buttons, or null when they all fit on one (Telegram takes 100 buttons at most). */
export function pageOfChoices(length: number, requested: number): { current: number; count: number; from: number; to: number } | null {
  if (length <= choicesOnOnePage) return null;
  const count = Math.ceil(length / choicesPerPage);
  const current = Math.min(Math.max(requested, 0), count - 1);
  return { current, count, from: current * choicesPerPage, to: Math.min(length, (current + 1) * choicesPerPage) };
}
