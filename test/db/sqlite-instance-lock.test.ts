import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireInstanceLock, InstanceLockError } from "../../src/db/sqlite-instance-lock.js";

describe("SQLite instance lock", () => {
  it("should refuse a second instance that reaches the same database through a symlink", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ordergram-lock-"));
    const database = path.join(dir, "shop.db");
    writeFileSync(database, "");
    const link = path.join(dir, "link.db");
    symlinkSync(database, link);
    const first = acquireInstanceLock(`file:${database}`, new Date());
    try {
      expect(() => acquireInstanceLock(`file:${link}`, new Date())).toThrow(InstanceLockError);
    } finally {
      first?.release();
    }
  });
});
