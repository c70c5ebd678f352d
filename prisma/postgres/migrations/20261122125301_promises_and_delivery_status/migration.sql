-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "deliveryStatus" TEXT,
ADD COLUMN     "deliveryStatusAt" TIMESTAMP(3),
ADD COLUMN     "tracking" JSONB;

-- CreateTable
CREATE TABLE "OrderPromise" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "window" TEXT,
    "madeAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "OrderPromise_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrderPromise_orderId_idx" ON "OrderPromise"("orderId");

-- CreateIndex
CREATE INDEX "OrderPromise_status_dueDate_idx" ON "OrderPromise"("status", "dueDate");

-- AddForeignKey
ALTER TABLE "OrderPromise" ADD CONSTRAINT "OrderPromise_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
