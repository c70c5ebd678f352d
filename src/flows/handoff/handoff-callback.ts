import { z } from "zod";

/**
 * Button data of the handoff, "og:<family>:...": the managers' card ("og:m:<handoff>:<action>[:<arg>...]"),
 * the customer's rating of the help ("og:hr:<handoff>:<score>"; "og:r:" is the order rating's) and /help's "talk to a person" ("og:h:p").
 * A 36-character handoff id and the longest action with its arguments ("dw:20261202:9") fit within Telegram's 64 bytes.
 */
export const cardActions = {
  take: "t",
  handBack: "b",
  handBackReadBack: "br",
  handBackDelivery: "bd",
  handBackAddress: "ba",
  close: "x",
  resend: "rs",
  confirm: "c",
  cancel: "k",
  /** Opens the delivery picker in the topic (from the card), or shows its days again (from the picker). */
  delivery: "d",
  /** A day in the picker: its windows next. Argument: the date as YYYYMMDD. */
  deliveryDay: "dd",
  /** A window in the picker: the slot is set. Arguments: the date as YYYYMMDD, the window's index in the config. */
  deliveryWindow: "dw",
} as const;

export type CardAction = keyof typeof cardActions;
const actionByCode = new Map<string, CardAction>(Object.entries(cardActions).map(([name, code]) => [code, name as CardAction]));

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,36}$/);
const dateArg = z
  .string()
  .regex(/^\d{8}$/)
  .transform((digits) => `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}`);
const indexArg = z.coerce.number().int().min(0).max(99);
/** What each action carries after the handoff id. */
const argsSchemas = {
  deliveryDay: z.tuple([dateArg]),
  deliveryWindow: z.tuple([dateArg, indexArg]),
} as const;
const noArgs = z.tuple([]);

const check = (packed: string): string => {
  if (Buffer.byteLength(packed) > 64) throw new Error(`callback data over 64 bytes: ${packed}`);
  return packed;
};

/** A card button as parsed: a day is "YYYY-MM-DD", a window its index in the courier's windows. */
export type CardCallback =
  | { handoffId: string; action: Exclude<CardAction, "deliveryDay" | "deliveryWindow"> }
  | { handoffId: string; action: "deliveryDay"; date: string }
  | { handoffId: string; action: "deliveryWindow"; date: string; windowIndex: number };

export const cardCallbackPattern = /^og:m:/;

const dateDigits = (date: string) => date.replaceAll("-", "");

export function packCardCallback(handoffId: string, action: Exclude<CardAction, "deliveryDay" | "deliveryWindow">): string;
export function packCardCallback(handoffId: string, action: "deliveryDay", date: string): string;
export function packCardCallback(handoffId: string, action: "deliveryWindow", date: string, windowIndex: number): string;
export function packCardCallback(handoffId: string, action: CardAction, date?: string, windowIndex?: number): string {
  const args = [...(date === undefined ? [] : [dateDigits(date)]), ...(windowIndex === undefined ? [] : [String(windowIndex)])];
  return check(["og:m", handoffId, cardActions[action], ...args].join(":"));
}

export function parseCardCallback(data: string): CardCallback | null {
  if (!cardCallbackPattern.test(data)) return null;
  const [handoffId, code, ...rest] = data.replace(cardCallbackPattern, "").split(":");
  const action = code === undefined ? undefined : actionByCode.get(code);
  if (!action || !idSchema.safeParse(handoffId).success) return null;
  const id = handoffId!;
  switch (action) {
    case "deliveryDay": {
      const parsed = argsSchemas.deliveryDay.safeParse(rest);
      return parsed.success ? { handoffId: id, action, date: parsed.data[0] } : null;
    }
    case "deliveryWindow": {
      const parsed = argsSchemas.deliveryWindow.safeParse(rest);
      return parsed.success ? { handoffId: id, action, date: parsed.data[0], windowIndex: parsed.data[1] } : null;
    }
    default:
      return noArgs.safeParse(rest).success ? { handoffId: id, action } : null;
  }
}

export const ratingCallbackPattern = /^og:hr:/;
export const packRatingCallback = (handoffId: string, score: number): string => check(`og:hr:${handoffId}:${score}`);

export function parseRatingCallback(data: string): { handoffId: string; score: number } | null {
  const parsed = z.tuple([idSchema, z.coerce.number().int().min(1).max(5)]).safeParse(data.replace(ratingCallbackPattern, "").split(":"));
  return data.startsWith("og:hr:") && parsed.success ? { handoffId: parsed.data[0], score: parsed.data[1] } : null;
}

export const talkToPersonData = "og:h:p";
