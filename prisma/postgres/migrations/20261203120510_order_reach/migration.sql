-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "reachGivenUpAt" TIMESTAMP(3),
ADD COLUMN     "unreachedNotices" INTEGER NOT NULL DEFAULT 0;
