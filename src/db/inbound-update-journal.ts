import { createLeaseKeeper } from "../shared/lease-keeper.js";
import type { Logger } from "../shared/logger.js";
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
 *
 * While an instance has an update in hand (recorded, not yet marked handled) it holds a lease on
 * it (leasedUntil), renewed every third of a lease: another instance takes the update over only
 * once the lease ran out, so soon after the instance that took it died, never while it lives.
 */
export interface InboundUpdateJournal {
  /** Records updates; returns those recorded now (to handle, leased), leaving out those recorded before. */
  record<U extends JournalUpdate>(updates: readonly U[]): Promise<U[]>;
  /** The handler finished (or failed and was answered): the update is never handled again; its lease ends. */
  markHandled(updateId: number): Promise<void>;
  /**
   * Takes over (and leases) the updates other instances recorded and never finished, oldest
   * first: "abandoned" those whose lease ran out, "all" every one (alone on SQLite, where the
   * lock proves their instances dead). Each one goes to exactly one instance, which handles it.
   */
  takeOverUnfinished<U extends JournalUpdate>(scope: "abandoned" | "all"): Promise<U[]>;
  /** Forgets handled updates received before `before` (Telegram redelivers for a day at most). */
  forgetHandled(before: Date): Promise<number>;
  /** Stops renewing leases (at stop, before the database closes): what is still in hand runs out. */
  close(): void;
}

export interface InboundUpdateJournalOptions {
  /** Names this instance in `receivedBy`; unique per start. */
  instanceId: string;
  now: () => Date;
  /** How long an update stays leased without a renewal (ms). */
  leaseMs: number;
  logger: Logger;
}

/**
 * Updates recorded before leases existed (leasedUntil null) count as leased this long after
 * they were received: longer than any handling takes.
 */
const unleasedTakeoverAgeMs = 2 * 60_000;

export function inboundUpdateJournal(db: Db, options: InboundUpdateJournalOptions): InboundUpdateJournal {
  const { instanceId, now, leaseMs } = options;
  const leaseEnd = () => new Date(now().getTime() + leaseMs);
  const leases = createLeaseKeeper({
    leaseMs,
    renew: (ids) =>
      db.inboundUpdate.updateMany({
        where: { updateId: { in: ids.map(BigInt) }, receivedBy: instanceId, handledAt: null },
        data: { leasedUntil: leaseEnd() },
      }),
    onError: (error) => options.logger.warn({ err: error }, "could not renew the leases of updates in hand"),
  });
  /** Update id -> releases its lease. */
  const inHand = new Map<number, () => void>();
  const hold = (updateId: number) => {
    if (!inHand.has(updateId)) inHand.set(updateId, leases.hold(String(updateId)));
  };

  return {
    async record(updates) {
      const recorded = [];
      for (const update of updates) {
        try {
          await db.inboundUpdate.create({
            data: {
              updateId: BigInt(update.update_id),
              payload: update as unknown as Prisma.InputJsonValue,
              receivedAt: now(),
              receivedBy: instanceId,
              leasedUntil: leaseEnd(),
            },
          });
          hold(update.update_id);
          recorded.push(update);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }
      return recorded;
    },
    async markHandled(updateId) {
      await db.inboundUpdate.update({ where: { updateId: BigInt(updateId) }, data: { handledAt: now(), leasedUntil: null } });
      inHand.get(updateId)?.();
      inHand.delete(updateId);
    },
    async takeOverUnfinished<U extends JournalUpdate>(scope: "abandoned" | "all") {
      const at = now();
      const abandoned: Prisma.InboundUpdateWhereInput = {
        OR: [{ leasedUntil: { lt: at } }, { leasedUntil: null, receivedAt: { lt: new Date(at.getTime() - unleasedTakeoverAgeMs) } }],
      };
      const rows = await db.inboundUpdate.findMany({
        where: { handledAt: null, receivedBy: { not: instanceId }, ...(scope === "abandoned" ? abandoned : {}) },
        orderBy: { updateId: "asc" },
      });
      const taken: U[] = [];
      for (const row of rows) {
        // Guarded: of two instances taking over at once one takes it, and a lease renewed meanwhile holds.
        const claim = await db.inboundUpdate.updateMany({
          where: { updateId: row.updateId, receivedBy: row.receivedBy, handledAt: null, ...(scope === "abandoned" ? abandoned : {}) },
          data: { receivedBy: instanceId, leasedUntil: leaseEnd() },
        });
        if (claim.count !== 1) continue;
        hold(Number(row.updateId));
        taken.push(row.payload as unknown as U);
      }
      return taken;
    },
    async forgetHandled(before) {
      return (await db.inboundUpdate.deleteMany({ where: { handledAt: { lt: before } } })).count;
    },
    close: () => leases.stop(),
  };
}
