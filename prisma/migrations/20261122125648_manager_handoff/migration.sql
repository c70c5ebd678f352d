-- CreateTable
CREATE TABLE "SupportTopic" (
    "chatId" BIGINT NOT NULL PRIMARY KEY,
    "groupChatId" BIGINT NOT NULL,
    "threadId" INTEGER,
    "closed" BOOLEAN NOT NULL DEFAULT false,
    "unusableTexts" INTEGER NOT NULL DEFAULT 0,
    "unusableMark" TEXT,
    "recentTexts" JSONB NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Handoff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "chatId" BIGINT NOT NULL,
    "orderId" TEXT,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "state" TEXT NOT NULL DEFAULT 'waiting',
    "managerId" BIGINT,
    "managerName" TEXT,
    "resumeStep" JSONB,
    "pings" INTEGER NOT NULL DEFAULT 0,
    "unansweredAt" DATETIME,
    "endedHow" TEXT,
    "endedBy" BIGINT,
    "cardMessageId" INTEGER,
    "cardThreadId" INTEGER,
    "createdAt" DATETIME NOT NULL,
    "takenAt" DATETIME,
    "endedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ManagerNote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "chatId" BIGINT NOT NULL,
    "orderId" TEXT,
    "handoffId" TEXT,
    "authorId" BIGINT NOT NULL,
    "authorName" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrderHold" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    "reason" TEXT NOT NULL,
    "byId" BIGINT NOT NULL,
    "byName" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "OrderHold_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RelayedMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "handoffId" TEXT NOT NULL,
    "fromChatId" BIGINT NOT NULL,
    "fromMessageId" INTEGER NOT NULL,
    "toChatId" BIGINT NOT NULL,
    "toMessageId" INTEGER NOT NULL,
    "editAs" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HelpRating" (
    "handoffId" TEXT NOT NULL PRIMARY KEY,
    "chatId" BIGINT NOT NULL,
    "orderId" TEXT,
    "managerId" BIGINT,
    "score" INTEGER,
    "askedAt" DATETIME NOT NULL,
    "answeredAt" DATETIME
);

-- CreateIndex
CREATE INDEX "SupportTopic_groupChatId_threadId_idx" ON "SupportTopic"("groupChatId", "threadId");

-- CreateIndex
CREATE INDEX "Handoff_chatId_state_idx" ON "Handoff"("chatId", "state");

-- CreateIndex
CREATE INDEX "Handoff_orderId_idx" ON "Handoff"("orderId");

-- CreateIndex
CREATE INDEX "ManagerNote_chatId_createdAt_idx" ON "ManagerNote"("chatId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RelayedMessage_fromChatId_fromMessageId_key" ON "RelayedMessage"("fromChatId", "fromMessageId");
