import { z } from "zod";

/**
 * Button data of the handoff, "og:<family>:...": the managers' card ("og:m:<handoff>:<action>"),
 * the customer's rating of the help ("og:hr:<handoff>:<score>"; "og:r:" is the order rating's) and /help's "talk to a person" ("og:h:p").
 * A 36-character handoff id and the longest action fit well within Telegram's 64 bytes.
 */
export const cardActions = {
  take: "t",
  handBack: "b",
  handBackReadBack: "br",
  close: "x",
  resend: "rs",
  confirm: "c",
  cancel: "k",
} as const;

export type CardAction = keyof typeof cardActions;
const actionByCode = new Map<string, CardAction>(Object.entries(cardActions).map(([name, code]) => [code, name as CardAction]));

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,36}$/);
const check = (packed: string): string => {
  if (Buffer.byteLength(packed) > 64) throw new Error(`callback data over 64 bytes: ${packed}`);
  return packed;
};

export const cardCallbackPattern = /^og:m:/;
export const packCardCallback = (handoffId: string, action: CardAction): string => check(`og:m:${handoffId}:${cardActions[action]}`);

export function parseCardCallback(data: string): { handoffId: string; action: CardAction } | null {
  const [handoffId, code, ...rest] = data.replace(cardCallbackPattern, "").split(":");
  const action = code === undefined ? undefined : actionByCode.get(code);
  if (!data.startsWith("og:m:") || rest.length || !action || !idSchema.safeParse(handoffId).success) return null;
  return { handoffId: handoffId!, action };
}

export const ratingCallbackPattern = /^og:hr:/;
export const packRatingCallback = (handoffId: string, score: number): string => check(`og:hr:${handoffId}:${score}`);

export function parseRatingCallback(data: string): { handoffId: string; score: number } | null {
  const parsed = z.tuple([idSchema, z.coerce.number().int().min(1).max(5)]).safeParse(data.replace(ratingCallbackPattern, "").split(":"));
  return data.startsWith("og:hr:") && parsed.success ? { handoffId: parsed.data[0], score: parsed.data[1] } : null;
}

export const talkToPersonData = "og:h:p";
