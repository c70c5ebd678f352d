import { z } from "zod";

/**
 * Buttons under "are these orders yours?": "og:l:<orderId>" (only this one), "og:l:*" (all of
 * them), "og:l:-" (none). The server re-checks every choice against the phone the chat shared.
 */
export type LinkChoice = { type: "one"; orderId: string } | { type: "all" } | { type: "none" };

const prefix = "og:l:";
const orderId = z.string().regex(/^[A-Za-z0-9_-]{1,36}$/);

export function packLinkChoice(choice: LinkChoice): string {
  return prefix + (choice.type === "one" ? choice.orderId : choice.type === "all" ? "*" : "-");
}

export function parseLinkChoice(data: string): LinkChoice | null {
  if (!data.startsWith(prefix)) return null;
  const rest = data.slice(prefix.length);
  if (rest === "*") return { type: "all" };
  if (rest === "-") return { type: "none" };
  return orderId.safeParse(rest).success ? { type: "one", orderId: rest } : null;
}

export const linkChoicePattern = /^og:l:/;
