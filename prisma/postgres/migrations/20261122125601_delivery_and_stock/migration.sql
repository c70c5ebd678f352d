-- AlterTable
ALTER TABLE "OrderDialog" ADD COLUMN     "resolutions" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "StockLevel" (
    "sku" TEXT NOT NULL,
    "available" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StockLevel_pkey" PRIMARY KEY ("sku")
);

-- CreateTable
CREATE TABLE "DeliverySlot" (
    "date" TEXT NOT NULL,
    "window" TEXT NOT NULL,
    "booked" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DeliverySlot_pkey" PRIMARY KEY ("date","window")
);
