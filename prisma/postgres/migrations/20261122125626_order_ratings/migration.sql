-- CreateTable
CREATE TABLE "OrderRating" (
    "orderId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "ratedAt" TIMESTAMP(3) NOT NULL,
    "commentRequestedAt" TIMESTAMP(3),
    "commentedAt" TIMESTAMP(3),

    CONSTRAINT "OrderRating_pkey" PRIMARY KEY ("orderId")
);
