import { expect, it } from "vitest";
import type { Db } from "../../src/db/create-prisma-client.js";
import { describeEachDatabase } from "../support/test-database.js";

describeEachDatabase("test database helper", (getDb, provider) => {
  /** What the first test saw and left, for the next one to find. */
  let first: { db: Db; customerId: string } | undefined;

  it("hands out a migrated, empty database of the suite's kind", async () => {
    const db = getDb();
    expect(await db.customer.count()).toBe(0);
    const [row] =
      provider === "sqlite"
        ? await db.$queryRaw<Array<{ name: string }>>`SELECT name FROM sqlite_master WHERE name = '_prisma_migrations'`
        : await db.$queryRaw<Array<{ name: string }>>`SELECT tablename AS name FROM pg_tables WHERE tablename = '_prisma_migrations'`;
    expect(row?.name).toBe("_prisma_migrations");
    first = { db, customerId: `left-by-the-first-test-${provider}` };
    await db.customer.create({ data: { id: first.customerId, name: "first test" } });
  });

  it("shares that database between the suite's tests", async () => {
    // A fresh database per test would have lost the row, a fresh client would not be this one.
    expect(first, "the first test ran before this one").toBeDefined();
    const db = getDb();
    // Compared by identity: printing two Prisma clients' difference overflows the stack.
    expect(db === first!.db, "the first test's client").toBe(true);
    expect(await db.customer.findUnique({ where: { id: first!.customerId } })).toMatchObject({ name: "first test" });
    expect(await db.customer.count()).toBe(1);
  });
});
