import { describe, expect, it } from "vitest";
import { redactDatabaseUrl } from "../../src/db/database-url.js";

describe("the database URL as logs show it (the start line, migration errors)", () => {
  it("should hide a PostgreSQL password and keep the rest readable", () => {
    expect(redactDatabaseUrl("postgresql://shop:s3cret-pass@db.internal:5432/ordergram?schema=public")).toBe(
      "postgresql://shop:***@db.internal:5432/ordergram?schema=public",
    );
    expect(redactDatabaseUrl("postgres://shop@db:5432/ordergram")).toBe("postgres://shop@db:5432/ordergram");
  });

  it("should show a SQLite file as it is: it holds no secret", () => {
    expect(redactDatabaseUrl("file:./data/ordergram.db")).toBe("file:./data/ordergram.db");
  });
});
