import type { InlineKeyboardButton, Message, MessageEntity, ReplyKeyboardMarkup } from "@grammyjs/types";
import type { MessageSender } from "../telegram-standin/standin-events.js";

/**
 * A chat message as the sandbox page draws it. The text is rendered to HTML here, from Telegram's
 * entities (which is what a Telegram app does; the bot's HTML was already parsed into entities by
 * the stand-in), so the page never interprets a message's own markup: everything is escaped.
 */
export interface MessageView {
  id: number;
  chatKey: string;
  /** The forum topic, if any. */
  threadId: number | null;
  from: { kind: "bot" | "user" | "service"; id: number | null; name: string };
  /** The text or caption as safe HTML (newlines kept: the page uses white-space: pre-wrap). */
  html: string;
  photo: { url: string; width: number; height: number } | null;
  document: { url: string; name: string } | null;
  /** A line for what is not text: a contact, a location, a topic created or renamed. */
  note: string | null;
  buttons: ButtonView[][];
  replyTo: { id: number; snippet: string } | null;
  /** Unix seconds, on the sandbox clock. */
  date: number;
  edited: boolean;
}

export type ButtonView = { text: string; kind: "callback" } | { text: string; kind: "url"; url: string } | { text: string; kind: "other" };

export interface ReplyKeyboardView {
  rows: Array<Array<{ text: string; requestContact: boolean; requestLocation: boolean }>>;
  placeholder: string | null;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);

/** Links the page may open: web pages, Telegram links and e-mail. Anything else stays text. */
const safeUrl = (url: string): string | null => (/^(https?:\/\/|tg:\/\/|mailto:)/i.test(url) ? url : null);

const link = (href: string | null, inner: string): string =>
  href === null ? inner : `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${inner}</a>`;

function wrap(entity: MessageEntity, inner: string, raw: string): string {
  switch (entity.type) {
    case "bold":
      return `<b>${inner}</b>`;
    case "italic":
      return `<i>${inner}</i>`;
    case "underline":
      return `<u>${inner}</u>`;
    case "strikethrough":
      return `<s>${inner}</s>`;
    case "spoiler":
      return `<span class="spoiler" tabindex="0">${inner}</span>`;
    case "code":
      return `<code>${inner}</code>`;
    case "pre":
      return `<pre>${inner}</pre>`;
    case "blockquote":
    case "expandable_blockquote":
      return `<blockquote>${inner}</blockquote>`;
    case "text_link":
      return link(safeUrl(entity.url), inner);
    case "url":
      return link(safeUrl(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`), inner);
    case "email":
      return link(`mailto:${raw}`, inner);
    case "mention":
    case "text_mention":
    case "hashtag":
    case "cashtag":
    case "bot_command":
    case "phone_number":
      return `<span class="entity-${entity.type}">${inner}</span>`;
    default:
      return inner;
  }
}

/**
 * Telegram text with entities as HTML. Entities nest (bold inside a link); offsets are in UTF-16
 * code units, as JavaScript strings are. An entity that overlaps another without nesting in it
 * is drawn as plain text rather than producing broken markup.
 */
export function entitiesToHtml(text: string, entities: readonly MessageEntity[] = []): string {
  const sorted = [...entities]
    .filter((entity) => entity.length > 0 && entity.offset >= 0 && entity.offset + entity.length <= text.length)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const render = (start: number, end: number, within: MessageEntity[]): string => {
    let out = "";
    let position = start;
    for (const entity of within) {
      if (entity.offset < position) continue;
      const entityEnd = entity.offset + entity.length;
      const children = within.filter(
        (other) => other !== entity && other.offset >= entity.offset && other.offset + other.length <= entityEnd,
      );
      out += escapeHtml(text.slice(position, entity.offset));
      out += wrap(entity, render(entity.offset, entityEnd, children), text.slice(entity.offset, entityEnd));
      position = entityEnd;
    }
    return out + escapeHtml(text.slice(position, end));
  };
  return render(0, text.length, sorted);
}

function buttonView(button: InlineKeyboardButton): ButtonView {
  if ("callback_data" in button) return { text: button.text, kind: "callback" };
  if ("url" in button && button.url) {
    const url = safeUrl(button.url);
    if (url) return { text: button.text, kind: "url", url };
  }
  return { text: button.text, kind: "other" };
}

function noteOf(message: Message): string | null {
  if (message.contact) return `📇 Contact: ${message.contact.first_name} ${message.contact.phone_number}`;
  if (message.location) return `📍 Location: ${message.location.latitude.toFixed(5)}, ${message.location.longitude.toFixed(5)}`;
  if (message.forum_topic_created) return `Topic "${message.forum_topic_created.name}" was created`;
  if (message.forum_topic_edited)
    return `Topic renamed${message.forum_topic_edited.name ? ` to "${message.forum_topic_edited.name}"` : ""}`;
  if (message.forum_topic_closed) return "Topic closed";
  if (message.forum_topic_reopened) return "Topic reopened";
  if (message.pinned_message) return "A message was pinned";
  if (message.sticker) return `${message.sticker.emoji ?? ""} sticker`;
  if (message.voice || message.audio || message.video || message.animation) return "🎞 media";
  return null;
}

const fileUrl = (fileId: string) => `/sandbox/files/${encodeURIComponent(fileId)}`;

export function messageView(message: Message, chatKey: string, sender: MessageSender): MessageView {
  const text = message.text ?? message.caption ?? "";
  const entities = message.entities ?? message.caption_entities ?? [];
  const largest = message.photo?.at(-1);
  const replied = message.reply_to_message;
  const isThreadRoot =
    replied !== undefined && replied.message_id === message.message_thread_id && replied.forum_topic_created !== undefined;
  return {
    id: message.message_id,
    chatKey,
    threadId: message.is_topic_message ? (message.message_thread_id ?? null) : null,
    from: {
      kind: sender.kind,
      id: message.from?.id ?? null,
      name: sender.kind === "service" ? "" : [message.from?.first_name, message.from?.last_name].filter(Boolean).join(" "),
    },
    html: entitiesToHtml(text, entities),
    photo: largest ? { url: fileUrl(largest.file_id), width: largest.width, height: largest.height } : null,
    document: message.document ? { url: fileUrl(message.document.file_id), name: message.document.file_name ?? "document" } : null,
    note: noteOf(message),
    buttons: message.reply_markup?.inline_keyboard.map((row) => row.map(buttonView)) ?? [],
    replyTo:
      replied && !isThreadRoot
        ? { id: replied.message_id, snippet: (replied.text ?? replied.caption ?? (replied.photo ? "📷 Photo" : "…")).slice(0, 80) }
        : null,
    date: message.date,
    edited: message.edit_date !== undefined,
  };
}

export function replyKeyboardView(keyboard: ReplyKeyboardMarkup | undefined): ReplyKeyboardView | null {
  if (!keyboard) return null;
  return {
    rows: keyboard.keyboard.map((row) =>
      row.map((button) =>
        typeof button === "string"
          ? { text: button, requestContact: false, requestLocation: false }
          : {
              text: button.text,
              requestContact: "request_contact" in button && button.request_contact === true,
              requestLocation: "request_location" in button && button.request_location === true,
            },
      ),
    ),
    placeholder: keyboard.input_field_placeholder ?? null,
  };
}
