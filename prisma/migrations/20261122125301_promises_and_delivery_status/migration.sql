-- AlterTable
ALTER TABLE "Order" ADD COLUMN "deliveredAt" DATETIME;
ALTER TABLE "Order" ADD COLUMN "deliveryStatus" TEXT;
ALTER TABLE "Order" ADD COLUMN "deliveryStatusAt" DATETIME;
ALTER TABLE "Order" ADD COLUMN "tracking" JSONB;

-- CreateTable
CREATE TABLE "OrderPromise" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "window" TEXT,
    "madeAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "closedAt" DATETIME,
    CONSTRAINT "OrderPromise_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "OrderPromise_orderId_idx" ON "OrderPromise"("orderId");

-- CreateIndex
CREATE INDEX "OrderPromise_status_dueDate_idx" ON "OrderPromise"("status", "dueDate");
