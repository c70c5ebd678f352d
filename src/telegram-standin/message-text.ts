import type { MessageEntity, User } from "@grammyjs/types";
import { BotApiError } from "./bot-api-error.js";
import { parseTelegramHtml } from "../shared/telegram-html.js";

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

export interface TextInput {
  text: string;
  parseMode: string | undefined;
  entities: MessageEntity[] | undefined;
}

const LIMITS = { text: 4096, caption: 1024 } as const;

/**
 * Turns what a bot sent (text + parse_mode or entities) into what the chat shows, applying
 * Telegram's rules: parse the markup, trim surrounding whitespace, detect commands, links and
 * mentions, and refuse empty or too long texts with Telegram's errors.
 */
export function formatBotText(input: TextInput, kind: "text" | "caption", findUser: (id: number) => User | undefined): FormattedText {
  let parsed: FormattedText;
  if (input.parseMode !== undefined && input.parseMode !== "") {
    if (input.parseMode.toLowerCase() !== "html") {
      throw BotApiError.badRequest(
        `parse_mode "${input.parseMode}" is not supported by the local stand-in (only HTML is); ` + "pass entities instead",
      );
    }
    const result = parseTelegramHtml(input.text, findUser);
    if (!result.ok) throw BotApiError.badRequest(result.error);
    parsed = { text: result.text, entities: result.entities };
  } else {
    parsed = { text: input.text, entities: input.entities ?? [] };
  }
  const trimmed = trimText(parsed);
  if (kind === "text" && trimmed.text === "") throw BotApiError.badRequest("message text is empty");
  if (trimmed.text.length > LIMITS[kind]) {
    throw BotApiError.badRequest(kind === "text" ? "message is too long" : "message caption is too long");
  }
  for (const entity of trimmed.entities) {
    if (entity.offset < 0 || entity.length <= 0 || entity.offset + entity.length > trimmed.text.length) {
      throw BotApiError.badRequest("can't parse entities: entity beyond the end of the text");
    }
  }
  return withDetectedEntities(trimmed);
}

/** What a user's client sends: plain text with the entities Telegram detects on its own. */
export function formatUserText(text: string): FormattedText {
  return withDetectedEntities({ text, entities: [] });
}

function trimText(value: FormattedText): FormattedText {
  const lead = value.text.length - value.text.trimStart().length;
  const text = value.text.trim();
  const entities: MessageEntity[] = [];
  for (const entity of value.entities) {
    const start = Math.max(0, entity.offset - lead);
    const end = Math.min(text.length, entity.offset - lead + entity.length);
    if (end > start) entities.push({ ...entity, offset: start, length: end - start });
  }
  return { text, entities };
}

const DETECTORS: Array<{ type: MessageEntity["type"]; pattern: RegExp }> = [
  { type: "bot_command", pattern: /(?<![\w/])\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])/g },
  { type: "url", pattern: /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g },
  { type: "email", pattern: /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g },
  { type: "mention", pattern: /(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b/g },
  { type: "hashtag", pattern: /(?<![\w#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu },
];

function withDetectedEntities(value: FormattedText): FormattedText {
  const entities = [...value.entities];
  const overlaps = (offset: number, length: number): boolean =>
    entities.some((entity) => offset < entity.offset + entity.length && entity.offset < offset + length);
  for (const { type, pattern } of DETECTORS) {
    for (const match of value.text.matchAll(pattern)) {
      const offset = match.index;
      if (!overlaps(offset, match[0].length)) {
        entities.push({ type, offset, length: match[0].length } as MessageEntity);
      }
    }
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: value.text, entities };
}
