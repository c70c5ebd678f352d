/*
  Warnings:

  - You are about to drop the column `owner` on the `OrderDialog` table. All the data in the column will be lost.

*/
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OrderDialog" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    "step" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "resolutions" JSONB NOT NULL DEFAULT '[]',
    "done" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 0,
    "configSnapshot" JSONB NOT NULL,
    "messageId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OrderDialog_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_OrderDialog" ("configSnapshot", "createdAt", "data", "done", "messageId", "orderId", "resolutions", "step", "updatedAt", "version") SELECT "configSnapshot", "createdAt", "data", "done", "messageId", "orderId", "resolutions", "step", "updatedAt", "version" FROM "OrderDialog";
DROP TABLE "OrderDialog";
ALTER TABLE "new_OrderDialog" RENAME TO "OrderDialog";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
