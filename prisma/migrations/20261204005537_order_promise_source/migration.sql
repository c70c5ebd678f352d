-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OrderPromise" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "window" TEXT,
    "madeAt" DATETIME NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'agreed',
    "status" TEXT NOT NULL DEFAULT 'open',
    "closedAt" DATETIME,
    CONSTRAINT "OrderPromise_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_OrderPromise" ("closedAt", "dueDate", "id", "kind", "madeAt", "orderId", "status", "window") SELECT "closedAt", "dueDate", "id", "kind", "madeAt", "orderId", "status", "window" FROM "OrderPromise";
DROP TABLE "OrderPromise";
ALTER TABLE "new_OrderPromise" RENAME TO "OrderPromise";
CREATE INDEX "OrderPromise_orderId_idx" ON "OrderPromise"("orderId");
CREATE INDEX "OrderPromise_status_dueDate_idx" ON "OrderPromise"("status", "dueDate");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
