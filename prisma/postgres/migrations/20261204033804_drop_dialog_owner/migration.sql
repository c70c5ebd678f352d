/*
  Warnings:

  - You are about to drop the column `owner` on the `OrderDialog` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "OrderDialog" DROP COLUMN "owner";
