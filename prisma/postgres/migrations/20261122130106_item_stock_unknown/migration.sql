-- AlterTable
ALTER TABLE "OrderItem" ALTER COLUMN "available" DROP NOT NULL;
