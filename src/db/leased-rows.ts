// The lease protocol of the tables whose rows are worked off by any number of instances: the
// outbox (src/outbox/outbox-dispatcher.ts) and the jobs (src/scheduler/job-runner.ts).
//
// A row is `pending` until it is due, then a worker *claims* it: one guarded UPDATE moves it to
// the leased status with `leasedBy` = a token unique to the claim and `leasedUntil` = now + lease.
// The guard (due, or leased with the lease run out) is in the WHERE clause, so of two workers (two
// instances on one PostgreSQL database) racing for a row exactly one update matches: PostgreSQL
// makes the second UPDATE wait for the first one's row lock and then re-checks its WHERE, SQLite
// serialises writers. The worker then reads back only the rows carrying its token.
//
// From the claim until the outcome is written the claim is *held*: its leases are renewed every
// third of a lease (src/shared/lease-keeper.ts), so a live worker never loses a row however slow
// its work, and a dead one's rows are claimed again once their lease ran out. Every later write
// of the worker is *fenced* by the token (id, leasedBy, leased status in the WHERE clause): one
// that matches nothing tells the worker another one took the row over, and changes nothing.
import { randomUUID } from "node:crypto";
import type { Clock } from "../shared/clock.js";
import { createLeaseKeeper } from "../shared/lease-keeper.js";
import type { Logger } from "../shared/logger.js";
import { isWriteConflict } from "./busy-error.js";
import type { Db } from "./create-prisma-client.js";
import type { Job, OutboxMessage, Prisma } from "./models.js";

/** Per leased table, the Prisma types its rows and queries have. */
interface LeasedTableTypes {
  outboxMessage: {
    row: OutboxMessage;
    where: Prisma.OutboxMessageWhereInput;
    data: Prisma.OutboxMessageUpdateManyMutationInput;
    orderBy: Prisma.OutboxMessageOrderByWithRelationInput;
  };
  job: {
    row: Job;
    where: Prisma.JobWhereInput;
    data: Prisma.JobUpdateManyMutationInput;
    orderBy: Prisma.JobOrderByWithRelationInput;
  };
}

export type LeasedTable = keyof LeasedTableTypes;
type RowOf<T extends LeasedTable> = LeasedTableTypes[T]["row"];
type WhereOf<T extends LeasedTable> = LeasedTableTypes[T]["where"];
type DataOf<T extends LeasedTable> = LeasedTableTypes[T]["data"];
type OrderByOf<T extends LeasedTable> = LeasedTableTypes[T]["orderBy"];

/** What of a table's Prisma delegate the protocol uses. */
interface LeasedTableDelegate<T extends LeasedTable> {
  findMany(args: { where: WhereOf<T>; orderBy?: OrderByOf<T>[] }): Promise<RowOf<T>[]>;
  updateMany(args: { where: WhereOf<T>; data: DataOf<T> }): Promise<{ count: number }>;
}

interface LeasedTableSpec<T extends LeasedTable> {
  delegate(db: Db): LeasedTableDelegate<T>;
  /** The status of a row in a worker's hands; a row waiting for its turn is "pending". */
  leasedStatus: string;
  /** Pending rows whose time has come by `now`. */
  waitingDue(now: Date): WhereOf<T>;
  /** Types a where clause on the lease columns (their shape is the same in both tables). */
  where(where: LeaseWhere<WhereOf<T>>): WhereOf<T>;
  /** Types an update of the lease columns. */
  data(data: LeaseData): DataOf<T>;
}

/** A where clause on the lease columns, as both tables take it, combined with a table's own. */
type LeaseWhere<Own> =
  | Own
  | {
      id?: string | { in: string[] };
      status?: string;
      leasedBy?: string | { in: string[] } | { startsWith: string };
      leasedUntil?: { lt: Date } | null;
      AND?: LeaseWhere<Own>[];
      OR?: LeaseWhere<Own>[];
    };

/** The lease columns' values, as both tables' updates take them. */
interface LeaseData {
  status?: string;
  leasedBy?: string | null;
  leasedUntil?: Date | null;
}

const LEASED_TABLES: { [T in LeasedTable]: LeasedTableSpec<T> } = {
  outboxMessage: {
    delegate: (db) => db.outboxMessage,
    leasedStatus: "sending",
    waitingDue: (now) => ({ status: "pending", nextAttemptAt: { lte: now } }),
    where: (where) => where,
    data: (data) => data,
  },
  job: {
    delegate: (db) => db.job,
    leasedStatus: "running",
    waitingDue: (now) => ({ status: "pending", dueAt: { lte: now } }),
    where: (where) => where,
    data: (data) => data,
  },
};

/**
 * Due by `now`: pending and due, or leased with the lease run out (its worker died). With
 * `orHeldBy` (an instance's token prefix), also what that instance holds now: work not yet done.
 */
export function dueWhereOf<T extends LeasedTable>(table: T, now: Date, orHeldBy?: string): WhereOf<T> {
  const spec: LeasedTableSpec<T> = LEASED_TABLES[table];
  const leaseOver: LeaseWhere<WhereOf<T>>[] = [{ leasedUntil: { lt: now } }, { leasedUntil: null }];
  const stillOurs: LeaseWhere<WhereOf<T>>[] = orHeldBy === undefined ? [] : [{ leasedBy: { startsWith: orHeldBy } }];
  return spec.where({ OR: [spec.waitingDue(now), { status: spec.leasedStatus, OR: [...stillOurs, ...leaseOver] }] });
}

/** The status a row of `table` has while a worker holds it ("sending", "running"). */
export const leasedStatusOf = (table: LeasedTable): string => LEASED_TABLES[table].leasedStatus;

export interface LeasedRowsOptions<T extends LeasedTable> {
  db: Db;
  table: T;
  clock: Clock;
  logger: Logger;
  /** Lease length (ms, on the clock); renewed every third of it (real time) while a claim is held. */
  leaseMs: number;
  /** Starts every claim's token (<hostname>:<pid>), so leasedBy shows who holds a row. */
  instanceId: string;
  /** Names the rows in log lines ("outbox", "job"). */
  what: string;
}

export interface ClaimRequest<T extends LeasedTable> {
  /** The rows to take (the caller's own choice: ids, kinds, channels...)... */
  where: WhereOf<T>;
  /** ...of those, the ones that may be taken now. Default: those due by `now` (dueWhere). */
  claimable?: WhereOf<T>;
  now: Date;
  /** Written with the lease (e.g. counting the run). */
  data?: DataOf<T>;
  /** The order the claimed rows are read back in. */
  orderBy?: OrderByOf<T>[];
}

export interface Claim<T extends LeasedTable> {
  token: string;
  /** The rows this claim got (others may have gone to a racing worker). */
  rows: RowOf<T>[];
}

export interface LeasedRows<T extends LeasedTable> {
  /** Due by `now`: pending and due, or leased with the lease run out (its worker died). */
  dueWhere(now: Date): WhereOf<T>;
  /** The same test, on a row read before. */
  isDue(row: { status: string; leasedUntil: Date | null; dueAt: Date }, now: Date): boolean;
  /**
   * Leases the rows asked for, under a new token. null when the claim lost a write conflict to a
   * racing claim (PostgreSQL's serialization failure or deadlock, SQLite busy): nothing was
   * claimed, and the worker simply looks again.
   */
  claim(request: ClaimRequest<T>): Promise<Claim<T> | null>;
  /** Keeps the claim's leases renewed until the function it returns is called (nested holds count). */
  hold(token: string): () => void;
  /** A write that must only happen while the row is still this claim's; it renews the lease. false: it was taken over. */
  fence(id: string, token: string, data?: DataOf<T>): Promise<boolean>;
  /** Writes the outcome and ends the lease, if the row is still this claim's. false: it was taken over. */
  finish(id: string, token: string, data: DataOf<T>): Promise<boolean>;
  /** Hands rows of this claim back untouched (pending, lease cleared), with `data` (e.g. a later due time). */
  release(ids: string[], token: string, data?: DataOf<T>): Promise<number>;
}

export function leasedRows<T extends LeasedTable>(options: LeasedRowsOptions<T>): LeasedRows<T> {
  const { clock, leaseMs } = options;
  const spec: LeasedTableSpec<T> = LEASED_TABLES[options.table];
  const table = spec.delegate(options.db);
  const leased = spec.leasedStatus;
  const leaseEnd = (from: Date) => new Date(from.getTime() + leaseMs);
  const both = (a: WhereOf<T>, b: WhereOf<T>) => spec.where({ AND: [a, b] });
  const withLease = (data: LeaseData, more?: DataOf<T>): DataOf<T> => ({ ...spec.data(data), ...more });
  const ofClaim = (ids: string | string[], token: string) =>
    spec.where({ id: typeof ids === "string" ? ids : { in: ids }, leasedBy: token, status: leased });

  const keeper = createLeaseKeeper({
    leaseMs,
    renew: (tokens) =>
      table.updateMany({
        where: spec.where({ leasedBy: { in: tokens }, status: leased }),
        data: spec.data({ leasedUntil: leaseEnd(clock.now()) }),
      }),
    onError: (error) => options.logger.warn({ err: error }, `could not renew ${options.what} leases`),
  });

  const dueWhere = (now: Date): WhereOf<T> => dueWhereOf(options.table, now);

  return {
    dueWhere,
    isDue: (row, now) =>
      row.status === "pending" ? row.dueAt <= now : row.status === leased && (row.leasedUntil === null || row.leasedUntil < now),
    async claim({ where, claimable, now, data, orderBy }) {
      const token = `${options.instanceId}/${randomUUID()}`;
      try {
        await table.updateMany({
          where: both(where, claimable ?? dueWhere(now)),
          data: withLease({ status: leased, leasedBy: token, leasedUntil: leaseEnd(now) }, data),
        });
      } catch (error) {
        // Two claims locking the same rows can deadlock on PostgreSQL; the loser looks again.
        if (!isWriteConflict(error)) throw error;
        options.logger.debug({ err: error }, `${options.what} claim lost a write conflict; looking again`);
        return null;
      }
      const rows = await table.findMany({
        where: both(where, spec.where({ leasedBy: token, status: leased })),
        ...(orderBy ? { orderBy } : {}),
      });
      return { token, rows };
    },
    hold: (token) => keeper.hold(token),
    async fence(id, token, data) {
      const { count } = await table.updateMany({
        where: ofClaim(id, token),
        data: withLease({ leasedUntil: leaseEnd(clock.now()) }, data),
      });
      return count === 1;
    },
    async finish(id, token, data) {
      const { count } = await table.updateMany({ where: ofClaim(id, token), data: withLease({ leasedUntil: null }, data) });
      return count === 1;
    },
    async release(ids, token, data) {
      if (ids.length === 0) return 0;
      const { count } = await table.updateMany({
        where: ofClaim(ids, token),
        data: withLease({ status: "pending", leasedBy: null, leasedUntil: null }, data),
      });
      return count;
    },
  };
}
