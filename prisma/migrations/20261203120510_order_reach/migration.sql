-- AlterTable: two columns added in place (no table rebuild on a shop's full Order table).
ALTER TABLE "Order" ADD COLUMN "unreachedNotices" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Order" ADD COLUMN "reachGivenUpAt" DATETIME;
