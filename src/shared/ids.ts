import { randomBytes, randomUUID } from "node:crypto";

export const newId = (): string => randomUUID();

/**
 * An unguessable token for t.me/<bot>?start=<token>: Telegram allows 1-64 characters of
 * [A-Za-z0-9_-]; 24 random bytes in base64url give 32 characters and 192 bits.
 */
export const newStartToken = (): string => randomBytes(24).toString("base64url");
