-- AlterTable
ALTER TABLE "InboundUpdate" ADD COLUMN     "leasedUntil" TIMESTAMP(3);
