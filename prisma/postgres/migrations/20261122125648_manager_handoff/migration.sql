-- CreateTable
CREATE TABLE "SupportTopic" (
    "chatId" BIGINT NOT NULL,
    "groupChatId" BIGINT NOT NULL,
    "threadId" INTEGER,
    "closed" BOOLEAN NOT NULL DEFAULT false,
    "unusableTexts" INTEGER NOT NULL DEFAULT 0,
    "unusableMark" TEXT,
    "recentTexts" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupportTopic_pkey" PRIMARY KEY ("chatId")
);

-- CreateTable
CREATE TABLE "Handoff" (
    "id" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "orderId" TEXT,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "state" TEXT NOT NULL DEFAULT 'waiting',
    "managerId" BIGINT,
    "managerName" TEXT,
    "resumeStep" JSONB,
    "pings" INTEGER NOT NULL DEFAULT 0,
    "unansweredAt" TIMESTAMP(3),
    "endedHow" TEXT,
    "endedBy" BIGINT,
    "cardMessageId" INTEGER,
    "cardThreadId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "takenAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Handoff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ManagerNote" (
    "id" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "orderId" TEXT,
    "handoffId" TEXT,
    "authorId" BIGINT NOT NULL,
    "authorName" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ManagerNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderHold" (
    "orderId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "byId" BIGINT NOT NULL,
    "byName" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderHold_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "RelayedMessage" (
    "id" TEXT NOT NULL,
    "handoffId" TEXT NOT NULL,
    "fromChatId" BIGINT NOT NULL,
    "fromMessageId" INTEGER NOT NULL,
    "toChatId" BIGINT NOT NULL,
    "toMessageId" INTEGER NOT NULL,
    "editAs" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RelayedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpRating" (
    "handoffId" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "orderId" TEXT,
    "managerId" BIGINT,
    "score" INTEGER,
    "askedAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "HelpRating_pkey" PRIMARY KEY ("handoffId")
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

-- AddForeignKey
ALTER TABLE "OrderHold" ADD CONSTRAINT "OrderHold_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
