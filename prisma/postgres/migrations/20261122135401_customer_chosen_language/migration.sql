-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "chosenLanguage" TEXT;

-- AlterTable
ALTER TABLE "TelegramChat" ADD COLUMN     "chosenLanguage" TEXT;
