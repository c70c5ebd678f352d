-- AlterTable
ALTER TABLE "OrderPromise" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'agreed';
