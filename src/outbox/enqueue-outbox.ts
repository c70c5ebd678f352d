import type { Tx } from "../db/transaction.js";
import { newOutboxId } from "./outbox-id.js";
import { toPayload, type OutboxEntry } from "./outbox-message.js";

export interface EnqueueOutboxOptions {
  /** Unique per logical message ("order.read_back:<order>:1"): enqueueing it again is a no-op. */
  idempotencyKey: string;
  now: Date;
  /** Not to be sent before this (quiet hours, a delayed first message). */
  notBefore?: Date;
}

/**
 * Writes a message to the outbox inside the caller's transaction, next to the state change that
 * causes it; the caller kicks the dispatcher after committing.
 *
 * A duplicate key is a no-op ({ enqueued: false }). `INSERT ... ON CONFLICT DO NOTHING` (SQLite and
 * PostgreSQL alike) rather than check-then-insert: a unique violation would abort the caller's
 * PostgreSQL transaction, and two transactions racing with the same key cannot both pass a check.
 */
export async function enqueueOutbox(tx: Tx, entry: OutboxEntry, options: EnqueueOutboxOptions): Promise<{ enqueued: boolean }> {
  const { idempotencyKey, now, notBefore } = options;
  const nextAttemptAt = notBefore && notBefore.getTime() > now.getTime() ? notBefore : now;
  const chatId = entry.channel === "telegram" ? entry.chatId : null;
  const payload = JSON.stringify(toPayload(entry));
  /* eslint-disable max-len -- a tagged SQL template: a break would change the query text */
  const inserted = await tx.$executeRaw`
    INSERT INTO "OutboxMessage" ("id", "channel", "idempotencyKey", "chatId", "orderId", "payload", "status", "attempts", "nextAttemptAt", "createdAt")
    VALUES (${newOutboxId()}, ${entry.channel}, ${idempotencyKey}, ${chatId}, ${entry.orderId ?? null}, ${payload}, 'pending', 0, ${nextAttemptAt}, ${now})
    ON CONFLICT ("idempotencyKey") DO NOTHING`;
  /* eslint-enable max-len */
  return { enqueued: inserted === 1 };
}
