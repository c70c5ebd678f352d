import type { Db } from "./create-prisma-client.js";
import type { Prisma } from "./models.js";
import { isUniqueViolation } from "./unique-violation.js";

/** What the journal needs of a Telegram update: its id; the rest is kept as JSON. */
export interface JournalUpdate {
  update_id: number;
}

/**
 * The durable record of Telegram updates taken (the InboundUpdate table). An update is recorded
 * before Telegram is told it arrived, and marked handled once its handler finished, so one in
 * hand when the process dies is still owed, and one delivered again is handled only once.
 */
export interface InboundUpdateJournal {
  /** Records updates; returns those recorded now (to handle), leaving out those recorded before. */
  record<U extends JournalUpdate>(updates: readonly U[]): Promise<U[]>;
  /** The handler finished (or failed and was answered): the update is never handled again. */
  markHandled(updateId: number): Promise<void>;
  /**
   * Takes over the updates other instances recorded before `receivedBefore` and never finished,
   * oldest first: each one goes to exactly one instance, which handles it.
   */
  takeOverUnfinished<U extends JournalUpdate>(receivedBefore: Date): Promise<U[]>;
  /** Forgets handled updates received before `before` (Telegram redelivers for a day at most). */
  forgetHandled(before: Date): Promise<number>;
}

/** `instanceId` names this instance in `receivedBy`; unique per start. */
export function inboundUpdateJournal(db: Db, instanceId: string, now: () => Date): InboundUpdateJournal {
  return {
    async record(updates) {
      const recorded = [];
      for (const update of updates) {
        try {
          await db.inboundUpdate.create({
            data: { updateId: BigInt(update.update_id), payload: update as unknown as Prisma.InputJsonValue, receivedAt: now(), receivedBy: instanceId },
          });
          recorded.push(update);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }
      return recorded;
    },
    async markHandled(updateId) {
      await db.inboundUpdate.update({ where: { updateId: BigInt(updateId) }, data: { handledAt: now() } });
    },
    async takeOverUnfinished<U extends JournalUpdate>(receivedBefore: Date) {
      const rows = await db.inboundUpdate.findMany({
        where: { handledAt: null, receivedAt: { lt: receivedBefore }, receivedBy: { not: instanceId } },
        orderBy: { updateId: "asc" },
      });
      const taken: U[] = [];
      for (const row of rows) {
        // Guarded: of two instances starting at once, one takes it.
        const claim = await db.inboundUpdate.updateMany({ where: { updateId: row.updateId, receivedBy: row.receivedBy, handledAt: null }, data: { receivedBy: instanceId } });
        if (claim.count === 1) taken.push(row.payload as unknown as U);
      }
      return taken;
    },
    async forgetHandled(before) {
      return (await db.inboundUpdate.deleteMany({ where: { handledAt: { lt: before } } })).count;
    },
  };
}
