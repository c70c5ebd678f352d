-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "skipCode" TEXT;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "skipCode" TEXT;

-- Rows skipped before the code existed said why only in words: the hand back looked for these.
UPDATE "OutboxMessage" SET "skipCode" = 'with_person' WHERE "status" = 'skipped' AND "lastError" LIKE 'skipped: the chat is with %';
UPDATE "OutboxMessage" SET "skipCode" = 'no_longer_applies' WHERE "status" = 'skipped' AND "skipCode" IS NULL;
UPDATE "Job" SET "skipCode" = 'with_person' WHERE "status" = 'cancelled' AND "lastError" LIKE 'skipped: the chat is with %';
