// Fills a SQLite database fast for the benchmarks: one order is created the way the shop API
// creates it (receiveOrder, so every column holds what the product writes), then its rows are
// copied with raw multi-row INSERTs in large transactions (WAL). Jobs are written directly.
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { parseConfigFile } from "../../src/config/load-config.js";
import { createPrismaClient, SQLITE_CONNECTION_PRAGMAS, type Db } from "../../src/db/create-prisma-client.js";
import { sqliteFilePath } from "../../src/db/database-url.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { receiveOrder } from "../../src/services/receive-order.js";
import { systemClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import { noOperationsMetrics } from "../../src/shared/operations-metrics.js";

type Row = Record<string, unknown>;

/** How Prisma's SQLite adapter stores a DateTime (iso8601 with an explicit offset). */
export const sqliteDate = (date: Date): string => date.toISOString().replace("Z", "+00:00");

export interface SeedDatabase {
  sqlite: Database.Database;
  /** The template order's rows, per table. */
  template: { customer: Row; order: Row; items: Row[]; dialog: Row; events: Row[] };
  close(): void;
}

/** Migrates the database, creates the template order through the product's own code, opens a raw connection. */
export async function openSeedDatabase(databaseUrl: string, configYaml: string): Promise<SeedDatabase> {
  await migrateDatabase(databaseUrl);
  const db: Db = await createPrismaClient(databaseUrl);
  let orderId: string;
  try {
    const config = parseConfigFile(configYaml, "bench config");
    const result = await receiveOrder(
      {
        db,
        clock: systemClock,
        logger: createLogger({ level: "silent" }),
        metrics: noOperationsMetrics,
        config: () => config,
        botUsername: "bench_bot",
        outbox: { kick: () => {}, deliverNow: async () => {} },
      },
      {
        externalId: `TEMPLATE-${randomUUID()}`,
        customer: { name: "Anna Template", phone: "+491700000000", telegramUserId: null, language: "en" },
        currency: "EUR",
        items: [
          { position: 0, sku: "TEA-1", name: "Green tea", quantity: 2, unitPriceMinor: 450n, available: null, substitutes: [] },
          { position: 1, sku: "CUP-7", name: "Clay cup", quantity: 1, unitPriceMinor: 1290n, available: null, substitutes: [] },
        ],
        delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: null, window: null },
        comment: "Please ring twice",
      },
    );
    if (result.type !== "created") throw new Error(`template order not created: ${result.type}`);
    orderId = result.record.order.id;
  } finally {
    await db.$disconnect();
  }
  const sqlite = new Database(sqliteFilePath(databaseUrl));
  for (const pragma of SQLITE_CONNECTION_PRAGMAS) sqlite.exec(pragma);
  const one = (sql: string, ...args: unknown[]) => sqlite.prepare(sql).get(...args) as Row;
  const all = (sql: string, ...args: unknown[]) => sqlite.prepare(sql).all(...args) as Row[];
  const order = one(`SELECT * FROM "Order" WHERE "id" = ?`, orderId);
  return {
    sqlite,
    template: {
      order,
      customer: one(`SELECT * FROM "Customer" WHERE "id" = ?`, order.customerId),
      items: all(`SELECT * FROM "OrderItem" WHERE "orderId" = ? ORDER BY "position"`, orderId),
      dialog: one(`SELECT * FROM "OrderDialog" WHERE "orderId" = ?`, orderId),
      events: all(`SELECT * FROM "OrderEvent" WHERE "orderId" = ?`, orderId),
    },
    close: () => sqlite.close(),
  };
}

/** Inserts `count` rows built by `row(i)` with multi-row INSERTs, 50,000 rows per transaction. */
export function insertRows(sqlite: Database.Database, table: string, count: number, build: (i: number) => object): void {
  if (count <= 0) return;
  const row = build as (i: number) => Row;
  const columns = Object.keys(row(0));
  const perStatement = Math.max(1, Math.min(500, Math.floor(32_000 / columns.length)));
  const statementFor = (rows: number) =>
    sqlite.prepare(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ` +
        `${Array.from({ length: rows }, () => `(${columns.map(() => "?").join(", ")})`).join(", ")}`,
    );
  const full = statementFor(perStatement);
  const perTransaction = 50_000;
  for (let start = 0; start < count; start += perTransaction) {
    const end = Math.min(count, start + perTransaction);
    sqlite.transaction(() => {
      for (let chunk = start; chunk < end; chunk += perStatement) {
        const size = Math.min(perStatement, end - chunk);
        const values: unknown[] = [];
        for (let i = chunk; i < chunk + size; i++) {
          const built = row(i);
          for (const column of columns) values.push(built[column]);
        }
        (size === perStatement ? full : statementFor(size)).run(...values);
      }
    })();
  }
}

export interface OrderCopy {
  /** Unique per copy, part of every id. */
  key: string;
  state?: string;
  chatId?: number | null;
  telegramUserId?: number | null;
  delivery?: unknown;
  dialogStep?: string;
}

/** Copies the template order (customer, order, items, dialog, history) once per `copy(i)`. */
export function copyOrders(seed: SeedDatabase, count: number, copy: (i: number) => OrderCopy): string[] {
  const { template } = seed;
  const now = sqliteDate(new Date());
  const copies = Array.from({ length: count }, (_, i) => copy(i));
  const orderIds = copies.map((c) => `o-${c.key}`);
  insertRows(seed.sqlite, "Customer", count, (i) => ({
    ...template.customer,
    id: `c-${copies[i]!.key}`,
    phone: `+4917${String(i).padStart(9, "0")}`,
    telegramUserId: copies[i]!.telegramUserId ?? null,
    createdAt: now,
    updatedAt: now,
  }));
  insertRows(seed.sqlite, "Order", count, (i) => ({
    ...template.order,
    id: orderIds[i],
    externalId: `E-${copies[i]!.key}`,
    customerId: `c-${copies[i]!.key}`,
    startToken: `t-${copies[i]!.key}`,
    chatId: copies[i]!.chatId ?? null,
    state: copies[i]!.state ?? template.order.state,
    delivery: copies[i]!.delivery === undefined ? template.order.delivery : JSON.stringify(copies[i]!.delivery),
    createdAt: now,
    updatedAt: now,
  }));
  for (const item of template.items) {
    insertRows(seed.sqlite, "OrderItem", count, (i) => ({
      ...item,
      id: `i-${copies[i]!.key}-${String(item.position)}`,
      orderId: orderIds[i],
    }));
  }
  insertRows(seed.sqlite, "OrderDialog", count, (i) => ({
    ...template.dialog,
    orderId: orderIds[i],
    step: copies[i]!.dialogStep ?? template.dialog.step,
    createdAt: now,
    updatedAt: now,
  }));
  template.events.forEach((event, n) => {
    insertRows(seed.sqlite, "OrderEvent", count, (i) => ({ ...event, id: `e-${copies[i]!.key}-${n}`, orderId: orderIds[i] }));
  });
  return orderIds;
}

export interface JobRow {
  id: string;
  kind: string;
  orderId: string | null;
  dueAt: string;
  dedupeKey: string;
  payload: string;
  status: string;
  attempts: number;
  createdAt: string;
}

export function insertJobs(seed: SeedDatabase, count: number, job: (i: number) => JobRow): void {
  insertRows(seed.sqlite, "Job", count, job);
}

export const count = (seed: SeedDatabase, table: string): number =>
  Number((seed.sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n);
