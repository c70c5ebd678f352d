-- CreateIndex
CREATE INDEX "OutboxMessage_chatId_status_idx" ON "OutboxMessage"("chatId", "status");
