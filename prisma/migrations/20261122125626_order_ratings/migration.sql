-- CreateTable
CREATE TABLE "OrderRating" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "ratedAt" DATETIME NOT NULL,
    "commentRequestedAt" DATETIME,
    "commentedAt" DATETIME
);
