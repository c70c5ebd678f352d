-- AlterTable
ALTER TABLE "OrderDialog" ADD COLUMN     "done" JSONB NOT NULL DEFAULT '[]';
