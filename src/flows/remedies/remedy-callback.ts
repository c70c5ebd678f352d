import { z } from "zod";
import type { InlineKeyboardButton } from "grammy/types";
import type { Translate } from "../../locales/i18n.js";
import type { RemedyKind } from "../../domain/delivery-remedies.js";

/**
 * Buttons of the remedies (src/services/delivery-remedy.ts): "og:x:<orderId>:<action>[:<arg>...]".
 * At most 5 + 36 + 12 = 53 bytes of Telegram's 64 (a day as YYYYMMDD, a window or point as its
 * index in the config).
 */
export type RemedyTap =
  | { type: "open"; kind: RemedyKind }
  | { type: "day"; date: string }
  | { type: "window"; date: string; window: number }
  | { type: "point"; point: number }
  | { type: "cancel_confirmed" }
  | { type: "back" };

export interface RemedyCallback {
  orderId: string;
  tap: RemedyTap;
}

const prefix = "og:x:";
const kindCodes: Record<RemedyKind, string> = { new_day: "n", pickup: "p", address: "a", cancel: "c", code: "k" };
const kindOfCode = new Map(Object.entries(kindCodes).map(([kind, code]) => [code, kind as RemedyKind]));
const orderIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,36}$/);
const compactDate = z.string().regex(/^\d{8}$/);
const index = z.coerce.number().int().min(0).max(99);

const toCompact = (date: string) => date.replaceAll("-", "");
const fromCompact = (date: string) => `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;

export function packRemedyCallback({ orderId, tap }: RemedyCallback): string {
  const parts = (() => {
    switch (tap.type) {
      case "open":
        return [kindCodes[tap.kind]];
      case "day":
        return ["d", toCompact(tap.date)];
      case "window":
        return ["w", toCompact(tap.date), String(tap.window)];
      case "point":
        return ["pt", String(tap.point)];
      case "cancel_confirmed":
        return ["cy"];
      case "back":
        return ["b"];
    }
  })();
  return `${prefix}${orderId}:${parts.join(":")}`;
}

/** Our own remedy button data; anything else (forged, foreign, malformed) gives null. */
export function parseRemedyCallback(data: string): RemedyCallback | null {
  if (!data.startsWith(prefix)) return null;
  const [orderId, action, ...args] = data.slice(prefix.length).split(":");
  if (!orderIdSchema.safeParse(orderId).success || action === undefined) return null;
  const tap = ((): RemedyTap | null => {
    const kind = kindOfCode.get(action);
    if (kind && args.length === 0) return { type: "open", kind };
    if (action === "d" && args.length === 1 && compactDate.safeParse(args[0]).success) return { type: "day", date: fromCompact(args[0]!) };
    if (action === "w" && args.length === 2 && compactDate.safeParse(args[0]).success && index.safeParse(args[1]).success)
      return { type: "window", date: fromCompact(args[0]!), window: Number(args[1]) };
    if (action === "pt" && args.length === 1 && index.safeParse(args[0]).success) return { type: "point", point: Number(args[0]) };
    if (action === "cy" && args.length === 0) return { type: "cancel_confirmed" };
    if (action === "b" && args.length === 0) return { type: "back" };
    return null;
  })();
  return tap ? { orderId: orderId!, tap } : null;
}

export const remedyCallbackPattern = /^og:x:/;

/** One row per remedy offered, under the message that tells of the problem. */
export const remedyRows = (orderId: string, kinds: readonly RemedyKind[], t: Translate): InlineKeyboardButton[][] =>
  kinds.map((kind) => [
    { text: t(`notifications.remedies.buttons.${kind}`), callback_data: packRemedyCallback({ orderId, tap: { type: "open", kind } }) },
  ]);
