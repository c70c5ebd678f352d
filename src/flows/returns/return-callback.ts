import type { InlineKeyboardButton } from "grammy/types";
import { z } from "zod";
import type { Translate } from "../../locales/i18n.js";

/**
 * Button data of returns, "og:rt:<family>:...":
 * - "og:rt:s:<orderId>": start a return for this order (the thank-you message after delivery, the
 *   /return menu). At most 8 + 36 = 44 bytes of Telegram's 64.
 * - "og:rt:p:<orderId>": the customer asks for a person about this order's return (the window has
 *   closed, nothing in it can go back, the shop rejected the return).
 * - "og:rt:f:<tap>": a tap inside the return form (see ReturnFormTap).
 * Reason, resolution and exchange codes travel as codes, not indexes, so a form replayed after the
 * owner edited the lists still means what the customer tapped.
 */

const prefix = "og:rt:";
const orderIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,36}$/);
const codeSchema = z.string().regex(/^[a-z0-9_]{1,24}$/);

export const packReturnStartCallback = (orderId: string): string => `${prefix}s:${orderId}`;
export const packReturnPersonCallback = (orderId: string): string => `${prefix}p:${orderId}`;

/** The "return items" button, a row under the message about a delivered order (notification-messages.ts). */
export const returnStartButton = (orderId: string, t: Translate): InlineKeyboardButton => ({
  text: t("returns.buttons.start"),
  callback_data: packReturnStartCallback(orderId),
});

export type ReturnEntryCallback = { type: "start"; orderId: string } | { type: "person"; orderId: string };

/** A start or person button; anything else (forged, foreign, a form tap) gives null. */
export function parseReturnEntryCallback(data: string): ReturnEntryCallback | null {
  const match = /^og:rt:([sp]):(.+)$/.exec(data);
  if (!match || !orderIdSchema.safeParse(match[2]).success) return null;
  return { type: match[1] === "s" ? "start" : "person", orderId: match[2]! };
}

export const returnEntryCallbackPattern = /^og:rt:[sp]:/;

export type ReturnFormTap =
  | { type: "item"; position: number }
  /** Another page of a long order's items (args: the page). */
  | { type: "page"; page: number }
  | { type: "quantity"; quantity: number }
  | { type: "items_done" }
  | { type: "reason"; code: string }
  | { type: "photos_done" }
  | { type: "skip_comment" }
  | { type: "resolution"; resolution: "refund" | "exchange" | "store_credit" }
  | { type: "exchange_option"; code: string }
  | { type: "send" }
  | { type: "start_over" }
  | { type: "cancel" }
  /** "Talk to a person": the chat goes to a manager and the form ends. */
  | { type: "person" };

const simple = { c: "items_done", d: "photos_done", k: "skip_comment", s: "send", o: "start_over", n: "cancel", h: "person" } as const;
const simpleLetters = Object.fromEntries(Object.entries(simple).map(([letter, type]) => [type, letter])) as Record<
  (typeof simple)[keyof typeof simple],
  string
>;

export function packReturnFormTap(tap: ReturnFormTap): string {
  const form = `${prefix}f:`;
  switch (tap.type) {
    case "item":
      return `${form}i:${tap.position}`;
    case "page":
      return `${form}g:${tap.page}`;
    case "quantity":
      return `${form}q:${tap.quantity}`;
    case "reason":
      return `${form}r:${tap.code}`;
    case "resolution":
      return `${form}v:${tap.resolution}`;
    case "exchange_option":
      return `${form}x:${tap.code}`;
    default:
      return `${form}${simpleLetters[tap.type]}`;
  }
}

const count = z.coerce.number().int().min(0).max(9999);
const resolutionSchema = z.enum(["refund", "exchange", "store_credit"]);

/** A form tap, or null for anything that is not one of ours. */
export function parseReturnFormTap(data: string): ReturnFormTap | null {
  if (!data.startsWith(`${prefix}f:`)) return null;
  const [letter, arg, ...rest] = data.slice(prefix.length + 2).split(":");
  if (rest.length) return null;
  if (arg === undefined) return letter && letter in simple ? { type: simple[letter as keyof typeof simple] } : null;
  switch (letter) {
    case "i": {
      const parsed = count.safeParse(arg);
      return parsed.success ? { type: "item", position: parsed.data } : null;
    }
    case "g": {
      const parsed = count.safeParse(arg);
      return parsed.success ? { type: "page", page: parsed.data } : null;
    }
    case "q": {
      const parsed = count.safeParse(arg);
      return parsed.success && parsed.data > 0 ? { type: "quantity", quantity: parsed.data } : null;
    }
    case "r":
      return codeSchema.safeParse(arg).success ? { type: "reason", code: arg } : null;
    case "v": {
      const parsed = resolutionSchema.safeParse(arg);
      return parsed.success ? { type: "resolution", resolution: parsed.data } : null;
    }
    case "x":
      return codeSchema.safeParse(arg).success ? { type: "exchange_option", code: arg } : null;
    default:
      return null;
  }
}

export const returnFormTapPattern = /^og:rt:f:/;
