-- AlterTable
ALTER TABLE "InboundUpdate" ADD COLUMN "leasedUntil" DATETIME;
