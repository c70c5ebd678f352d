import { z } from "zod";

/**
 * Buttons under the thanks message: "og:r:<orderId>:<1-5>" rates the order, "og:r:<orderId>:c"
 * asks to add a comment. At most 5 + 36 + 2 = 43 bytes of Telegram's 64.
 */
export type RatingCallback = { orderId: string; action: { type: "rate"; score: number } | { type: "comment" } };

const prefix = "og:r:";
const partsSchema = z.tuple([z.string().regex(/^[A-Za-z0-9_-]{1,36}$/), z.union([z.literal("c"), z.coerce.number().int().min(1).max(5)])]);

export function packRatingCallback(data: RatingCallback): string {
  return `${prefix}${data.orderId}:${data.action.type === "rate" ? data.action.score : "c"}`;
}

/** Our own rating button data; anything else (forged, foreign) gives null. */
export function parseRatingCallback(data: string): RatingCallback | null {
  if (!data.startsWith(prefix)) return null;
  const parsed = partsSchema.safeParse(data.slice(prefix.length).split(":"));
  if (!parsed.success) return null;
  const [orderId, action] = parsed.data;
  return { orderId, action: action === "c" ? { type: "comment" } : { type: "rate", score: action } };
}

export const ratingCallbackPattern = /^og:r:/;
