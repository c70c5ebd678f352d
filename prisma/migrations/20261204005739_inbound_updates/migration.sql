-- CreateTable
CREATE TABLE "InboundUpdate" (
    "updateId" BIGINT NOT NULL PRIMARY KEY,
    "payload" JSONB NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "receivedBy" TEXT NOT NULL,
    "handledAt" DATETIME
);

-- CreateIndex
CREATE INDEX "InboundUpdate_handledAt_receivedAt_idx" ON "InboundUpdate"("handledAt", "receivedAt");
