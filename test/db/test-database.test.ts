import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/test-database.js";

describeEachDatabase("test database helper", (getDb, provider) => {
  it("hands out a migrated, empty database of the suite's kind", async () => {
    const db = getDb();
    expect(await db.customer.count()).toBe(0);
    const [row] =
      provider === "sqlite"
        ? await db.$queryRaw<Array<{ name: string }>>`SELECT name FROM sqlite_master WHERE name = '_prisma_migrations'`
        : await db.$queryRaw<Array<{ name: string }>>`SELECT tablename AS name FROM pg_tables WHERE tablename = '_prisma_migrations'`;
    expect(row?.name).toBe("_prisma_migrations");
  });

  it("shares that database between the suite's tests", async () => {
    const db = getDb();
    await db.customer.create({ data: { id: "shared", name: "first test" } });
    expect(await db.customer.count()).toBe(1);
  });
});
