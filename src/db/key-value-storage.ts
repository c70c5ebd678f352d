import type { Db } from "./create-prisma-client.js";
import type { Prisma } from "./models.js";

/** read/write/delete of JSON values by key, in the ConversationSession table. */
export interface KeyValueStorage<T> {
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Durable storage for short in-chat forms (@grammyjs/conversations): a form half filled in
 * survives a restart. Values are plain JSON (the plugin's replay log).
 */
export function databaseKeyValueStorage<T>(db: Db): KeyValueStorage<T> {
  return {
    async read(key) {
      const row = await db.conversationSession.findUnique({ where: { key } });
      return row ? (row.value as T) : undefined;
    },
    async write(key, value) {
      const json = value as unknown as Prisma.InputJsonValue;
      await db.conversationSession.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
    },
    async delete(key) {
      await db.conversationSession.deleteMany({ where: { key } });
    },
  };
}
