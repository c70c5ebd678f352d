import type { MessageEntity, User } from "@grammyjs/types";

export type HtmlParseResult = { ok: true; text: string; entities: MessageEntity[] } | { ok: false; error: string };

const SIMPLE_TAGS: Record<string, MessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
};
const SUPPORTED = new Set([...Object.keys(SIMPLE_TAGS), "a", "span", "blockquote", "tg-emoji", "tg-time"]);
const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface OpenTag {
  name: string;
  attributes: Map<string, string>;
  offset: number;
  order: number;
  /** Set by a `<code class="language-x">` directly inside this `<pre>`. */
  language?: string;
}

interface Collected {
  entity: MessageEntity;
  order: number;
}

/**
 * Telegram's HTML subset, used by the local Bot API stand-in to answer like Telegram, and by the
 * config check to refuse an owner's text that Telegram would refuse.
 *
 * Parses Telegram's HTML subset (parse_mode "HTML") into plain text and entities, with Telegram's
 * error texts. Offsets count UTF-16 code units like Telegram's, which is what JS strings index.
 */
export function parseTelegramHtml(html: string, findUser: (id: number) => User | undefined): HtmlParseResult {
  let text = "";
  const stack: OpenTag[] = [];
  const collected: Collected[] = [];
  let order = 0;
  let i = 0;
  const byteOffset = (index: number): number => Buffer.byteLength(html.slice(0, index));
  const error = (message: string): HtmlParseResult => ({ ok: false, error: `can't parse entities: ${message}` });

  while (i < html.length) {
    const char = html[i] ?? "";
    if (char === "&") {
      const match = /^&(#\d+|#x[0-9a-f]+|[a-z]+);/i.exec(html.slice(i, i + 12));
      const name = match?.[1];
      if (match && name !== undefined) {
        const decoded = decodeEntity(name);
        if (decoded !== undefined) {
          text += decoded;
          i += match[0].length;
          continue;
        }
      }
      text += char;
      i++;
      continue;
    }
    if (char !== "<") {
      text += char;
      i++;
      continue;
    }

    const tagStart = i;
    const close = html.indexOf(">", i);
    if (close < 0) return error(`Can't find end of the tag at byte offset ${byteOffset(tagStart)}`);
    const inner = html.slice(i + 1, close);
    i = close + 1;

    if (inner.startsWith("/")) {
      const name = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) return error(`Unexpected end tag at byte offset ${byteOffset(tagStart)}`);
      if (open.name !== name) {
        return error(`Unmatched end tag at byte offset ${byteOffset(tagStart)}, expected "</${open.name}>", found "</${name}>"`);
      }
      const parent = stack[stack.length - 1];
      if (open.name === "code" && parent?.name === "pre") {
        // <pre><code class="language-x"> is one pre entity with a language, not two entities.
        const language = /^language-(.+)$/.exec(open.attributes.get("class") ?? "")?.[1];
        if (language !== undefined) parent.language = language;
        continue;
      }
      const entity = entityFor(open, text.length - open.offset, findUser);
      if (entity && entity.length > 0) collected.push({ entity, order: open.order });
      continue;
    }

    const nameMatch = /^([a-zA-Z][a-zA-Z0-9-]*)/.exec(inner);
    const name = (nameMatch?.[1] ?? "").toLowerCase();
    if (!SUPPORTED.has(name)) return error(`Unsupported start tag "${name}" at byte offset ${byteOffset(tagStart)}`);
    const attributes = parseAttributes(inner.slice(name.length));
    if (name === "span" && attributes.get("class") !== "tg-spoiler") {
      return error(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(tagStart)}`);
    }
    stack.push({ name, attributes, offset: text.length, order: order++ });
  }

  const unclosed = stack[stack.length - 1];
  if (unclosed) return error(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  collected.sort((a, b) => a.entity.offset - b.entity.offset || b.entity.length - a.entity.length || a.order - b.order);
  return { ok: true, text, entities: collected.map((item) => item.entity) };
}

function entityFor(open: OpenTag, length: number, findUser: (id: number) => User | undefined): MessageEntity | undefined {
  const base = { offset: open.offset, length };
  switch (open.name) {
    case "a": {
      const href = open.attributes.get("href") ?? "";
      const userId = /^tg:\/\/user\?id=(\d+)$/.exec(href)?.[1];
      const user = userId === undefined ? undefined : findUser(Number(userId));
      if (user) return { ...base, type: "text_mention", user };
      return href === "" ? undefined : { ...base, type: "text_link", url: href };
    }
    case "span":
      return { ...base, type: "spoiler" };
    case "blockquote":
      return { ...base, type: open.attributes.has("expandable") ? "expandable_blockquote" : "blockquote" };
    case "tg-emoji": {
      const id = open.attributes.get("emoji-id");
      return id === undefined ? undefined : { ...base, type: "custom_emoji", custom_emoji_id: id };
    }
    case "tg-time": {
      const unix = Number(open.attributes.get("unix"));
      if (!Number.isInteger(unix)) return undefined;
      const format = open.attributes.get("format");
      return format === undefined
        ? ({ ...base, type: "date_time", unix_time: unix } as MessageEntity)
        : ({ ...base, type: "date_time", unix_time: unix, date_time_format: format } as MessageEntity);
    }
    case "pre":
      return open.language === undefined ? { ...base, type: "pre" } : { ...base, type: "pre", language: open.language };
    default: {
      const type = SIMPLE_TAGS[open.name];
      return type === undefined ? undefined : ({ ...base, type } as MessageEntity);
    }
  }
}

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const pattern = /([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (const match of source.matchAll(pattern)) {
    const key = (match[1] ?? "").toLowerCase();
    const raw = match[2] ?? match[3] ?? match[4] ?? "";
    attributes.set(key, decodeAll(raw));
  }
  return attributes;
}

function decodeAll(value: string): string {
  return value.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => decodeEntity(name) ?? whole);
}

function decodeEntity(name: string): string | undefined {
  if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
  if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
  return NAMED_ENTITIES[name.toLowerCase()];
}

/**
 * What Telegram would show for `html` where it shows plain text only (button labels, callback
 * answers, topic names): the text without tags, entities decoded. A string that is not valid
 * Telegram HTML is taken as plain text already and returned as it is.
 */
export function telegramHtmlToPlainText(html: string): string {
  if (!/[<&]/.test(html)) return html;
  const parsed = parseTelegramHtml(html, () => undefined);
  return parsed.ok ? parsed.text : html;
}
