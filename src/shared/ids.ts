import { randomBytes, randomUUID } from "node:crypto";

export const newId = (): string => randomUUID();

/**
 * An unguessable token for t.me/<bot>?start=<token>: Telegram allows 1-64 characters of
 * [A-Za-z0-9_-]; 24 random bytes in base64url give 32 characters and 192 bits.
 */
export const newStartToken = (): string => randomBytes(24).toString("base64url");

let sequence = 0;

/**
 * An id that sorts in creation order (real time, then a per-process counter), for rows whose
 * order matters when their business time is equal, like the events of an order's history.
 */
export const newSortableId = (): string =>
  `${Date.now().toString(36).padStart(9, "0")}${(sequence++ % 1_679_616).toString(36).padStart(4, "0")}` +
  `${randomBytes(6).toString("base64url")}`;
