import { parseTelegramHtml, telegramHtmlToPlainText } from "./telegram-html.js";

/**
 * What Telegram refuses with 400 (Bot API: sendMessage, InlineKeyboardMarkup): a text over 4096
 * characters, a caption over 1024, callback data over 64 bytes, more than 100 inline buttons.
 * Every message the bot composes is built to stay inside them.
 */
export const telegramLimits = { text: 4096, caption: 1024, callbackDataBytes: 64, inlineButtons: 100 } as const;

/** What Telegram counts against the limit: the characters the chat shows once the HTML is parsed. */
export const visibleLength = (html: string): number => telegramHtmlToPlainText(html).length;

/** Plain text made safe inside Telegram HTML. */
const escapeText = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** Plain text cut to at most `max` characters, "…" last, never between the halves of a character (a surrogate pair). */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  const cut = text.slice(0, max - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/**
 * The text `render` makes of `values`, the longest value shortened first until it fits `limit`.
 * The values are plain text (the template escapes them), so a cut never falls inside a tag or an
 * entity; a template that is too long even with every value cut is fitted by `fitHtml`.
 */
export function fitValues<V extends Record<string, string>>(
  render: (values: V) => string,
  values: V,
  limit: number = telegramLimits.text,
): string {
  let current = values;
  for (let round = 0; round <= Object.keys(values).length * 2; round++) {
    const text = render(current);
    const over = visibleLength(text) - limit;
    const [key, value] = Object.entries(current).reduce<[string, string] | [null, ""]>(
      (longest, entry) => (entry[1].length > longest[1].length ? entry : longest),
      [null, ""],
    );
    if (over <= 0 || key === null) return over <= 0 ? text : fitHtml(text, limit);
    current = { ...current, [key]: clipText(value, value.length - over) };
  }
  return fitHtml(render(current), limit);
}

/**
 * A composed message within `limit`: as it is when it fits, or else its first lines that fit,
 * then "…" (cut only at a line break, and only where the lines before are whole HTML).
 */
export function fitHtml(html: string, limit: number = telegramLimits.text): string {
  if (visibleLength(html) <= limit) return html;
  const lines = html.split("\n");
  for (let kept = lines.length - 1; kept > 0; kept--) {
    const head = `${lines.slice(0, kept).join("\n")}\n…`;
    if (parseTelegramHtml(head, () => undefined).ok && visibleLength(head) <= limit) return head;
  }
  return escapeText(clipText(telegramHtmlToPlainText(html), limit));
}

/**
 * A long plain text under a heading, over as many messages as it takes: the first is
 * `render(part)` with as much of the text as fits, the others carry the rest, each cut at a line
 * break or a space when there is one in its second half.
 */
export function splitUnder(render: (part: string) => string, text: string, limit: number = telegramLimits.text): string[] {
  if (visibleLength(render(text)) <= limit) return [render(text)];
  const parts: string[] = [];
  let rest = text;
  let room = Math.max(1, limit - visibleLength(render("")));
  while (rest.length > room) {
    let end = Math.max(rest.lastIndexOf("\n", room), rest.lastIndexOf(" ", room));
    if (end < room / 2) end = /[\uD800-\uDBFF]/.test(rest[room - 1] ?? "") ? room - 1 : room;
    parts.push(rest.slice(0, end));
    rest = rest.slice(end).replace(/^[ \n]/, "");
    room = limit;
  }
  parts.push(rest);
  return parts.map((part, i) => (i === 0 ? render(part) : escapeText(part)));
}

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
      messages.push(escapeText(clipText(telegramHtmlToPlainText(line), limit)));
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
  for (let low = 1, high = total - 1; low <= high;) {
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
