import { chatOwnerFor, type EscalationReason, type HandoffState, type UnusableCount } from "../domain/handoff.js";
import type { ChatOwner, DialogStep } from "../domain/order-dialog.js";
import { newId } from "../shared/ids.js";
import type { Handoff, Prisma } from "./models.js";
import type { DbOrTx } from "./transaction.js";

/** One escalation as the services use it (rows ↔ domain types). */
export interface HandoffRecord {
  id: string;
  chatId: bigint;
  orderId: string | null;
  reason: EscalationReason;
  detail: string | null;
  state: HandoffState;
  managerId: bigint | null;
  managerName: string | null;
  resumeStep: DialogStep | null;
  pings: number;
  unansweredAt: Date | null;
  endedHow: "handed_back" | "closed" | null;
  cardMessageId: number | null;
  cardThreadId: number | null;
  createdAt: Date;
  takenAt: Date | null;
  endedAt: Date | null;
}

const toHandoff = (row: Handoff): HandoffRecord => ({
  ...row,
  reason: row.reason as EscalationReason,
  state: row.state as HandoffState,
  resumeStep: (row.resumeStep as DialogStep | null) ?? null,
  endedHow: row.endedHow as HandoffRecord["endedHow"],
});

const activeStates = ["waiting", "taken"];

/** Open handoffs by state (waiting for a manager, taken by one): what the metrics show. */
export async function countOpenHandoffs(tx: DbOrTx): Promise<Record<"waiting" | "taken", number>> {
  const rows = await tx.handoff.groupBy({ by: ["state"], where: { state: { in: activeStates } }, _count: { _all: true } });
  const count = (state: string) => rows.find((row) => row.state === state)?._count._all ?? 0;
  return { waiting: count("waiting"), taken: count("taken") };
}

export async function findHandoff(tx: DbOrTx, id: string): Promise<HandoffRecord | null> {
  const row = await tx.handoff.findUnique({ where: { id } });
  return row ? toHandoff(row) : null;
}

/** The chat's open handoff (waiting or taken), if any: then a person has the chat. */
export async function findActiveHandoff(tx: DbOrTx, chatId: bigint): Promise<HandoffRecord | null> {
  const row = await tx.handoff.findFirst({ where: { chatId, state: { in: activeStates } }, orderBy: { createdAt: "desc" } });
  return row ? toHandoff(row) : null;
}

/** The chat's newest handoff in any state (the card a recreated topic shows). */
export async function findLatestHandoff(tx: DbOrTx, chatId: bigint): Promise<HandoffRecord | null> {
  const row = await tx.handoff.findFirst({ where: { chatId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return row ? toHandoff(row) : null;
}

export async function insertHandoff(
  tx: DbOrTx,
  input: {
    chatId: bigint;
    orderId: string | null;
    reason: EscalationReason;
    detail: string | null;
    resumeStep: DialogStep | null;
    now: Date;
  },
): Promise<HandoffRecord> {
  const row = await tx.handoff.create({
    data: {
      id: newId(),
      chatId: input.chatId,
      orderId: input.orderId,
      reason: input.reason,
      detail: input.detail,
      resumeStep: input.resumeStep ? { ...input.resumeStep } : undefined,
      createdAt: input.now,
    },
  });
  return toHandoff(row);
}

/**
 * Moves a handoff on only if it is still in one of `from`: one guarded UPDATE, so of two
 * managers (or two instances) racing, exactly one wins. False: somebody else moved it first.
 */
export async function moveHandoff(
  tx: DbOrTx,
  id: string,
  from: HandoffState[],
  data: Prisma.HandoffUpdateManyMutationInput,
): Promise<boolean> {
  const { count } = await tx.handoff.updateMany({ where: { id, state: { in: from } }, data });
  return count === 1;
}

export async function updateHandoff(tx: DbOrTx, id: string, data: Prisma.HandoffUpdateManyMutationInput): Promise<void> {
  await tx.handoff.updateMany({ where: { id }, data });
}

/**
 * Who has each of these chats: a person while the chat has an open handoff (waiting for a
 * manager, or the manager who took it), else the bot. Derived, never stored with the orders, so
 * it cannot drift from the handoff and changing it touches no order's dialog. One query.
 */
export async function chatOwnersOf(tx: DbOrTx, chatIds: ReadonlyArray<bigint | null>): Promise<(chatId: bigint | null) => ChatOwner> {
  const owners = new Map<bigint, ChatOwner>();
  const linked = [...new Set(chatIds.filter((id) => id !== null))];
  const rows = linked.length
    ? await tx.handoff.findMany({
        where: { chatId: { in: linked }, state: { in: activeStates } },
        orderBy: { createdAt: "desc" },
        select: { chatId: true, state: true, managerId: true },
      })
    : [];
  // Newest first, as findActiveHandoff picks: the first row of a chat is its open handoff.
  for (const row of rows) if (!owners.has(row.chatId)) owners.set(row.chatId, chatOwnerFor(row.state as HandoffState, row.managerId));
  // An order not linked to a chat, or a chat without an open handoff: the bot's.
  return (chatId) => (chatId === null ? undefined : owners.get(chatId)) ?? "bot";
}

/** Who has the chat (see chatOwnersOf). */
export async function chatOwnerOf(tx: DbOrTx, chatId: bigint | null): Promise<ChatOwner> {
  return (await chatOwnersOf(tx, [chatId]))(chatId);
}

/**
 * Makes the chat's handoff changes take turns: a write to the chat's row, held until the
 * transaction ends, so a second "is a person on it already?" waits for the first escalation to
 * commit and then sees its handoff (under PostgreSQL's READ COMMITTED each statement reads what
 * is committed; SQLite runs one transaction at a time anyway). A chat the bot has no row for is
 * not locked.
 */
export async function lockChatForHandoff(tx: DbOrTx, chatId: bigint, now: Date): Promise<void> {
  await tx.telegramChat.updateMany({ where: { id: chatId }, data: { updatedAt: now } });
}

/** The chat's orders, newest first (the card shows a few). */
export async function chatOrderIds(tx: DbOrTx, chatId: bigint, take = 3): Promise<string[]> {
  const rows = await tx.order.findMany({ where: { chatId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take, select: { id: true } });
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------- topics

export type SupportTopicRow = Prisma.SupportTopicGetPayload<object>;

export async function ensureSupportTopic(tx: DbOrTx, chatId: bigint, groupChatId: bigint): Promise<SupportTopicRow> {
  return tx.supportTopic.upsert({ where: { chatId }, create: { chatId, groupChatId }, update: {} });
}

export async function findSupportTopic(tx: DbOrTx, chatId: bigint): Promise<SupportTopicRow | null> {
  return tx.supportTopic.findUnique({ where: { chatId } });
}

export async function findTopicByThread(tx: DbOrTx, groupChatId: bigint, threadId: number): Promise<SupportTopicRow | null> {
  return tx.supportTopic.findFirst({ where: { groupChatId, threadId } });
}

export async function setTopicThread(tx: DbOrTx, chatId: bigint, groupChatId: bigint, threadId: number): Promise<void> {
  await tx.supportTopic.update({ where: { chatId }, data: { groupChatId, threadId, closed: false } });
}

export async function setTopicClosed(tx: DbOrTx, chatId: bigint, closed: boolean): Promise<void> {
  await tx.supportTopic.updateMany({ where: { chatId }, data: { closed } });
}

export interface RecentText {
  at: string;
  text: string;
}

const recentLimit = 3;

/** Keeps the customer's last few texts for the card ("the last messages"). */
export async function rememberCustomerText(tx: DbOrTx, chatId: bigint, groupChatId: bigint, text: string, at: Date): Promise<void> {
  const topic = await ensureSupportTopic(tx, chatId, groupChatId);
  const recent = [
    ...((topic.recentTexts as unknown as RecentText[] | null) ?? []),
    { at: at.toISOString(), text: text.slice(0, 200) },
  ].slice(-recentLimit);
  await tx.supportTopic.update({ where: { chatId }, data: { recentTexts: recent as unknown as Prisma.InputJsonArray } });
}

export async function readUnusableCount(tx: DbOrTx, chatId: bigint): Promise<UnusableCount> {
  const topic = await findSupportTopic(tx, chatId);
  return { count: topic?.unusableTexts ?? 0, mark: topic?.unusableMark ?? null };
}

export async function writeUnusableCount(tx: DbOrTx, chatId: bigint, groupChatId: bigint, counter: UnusableCount): Promise<void> {
  await ensureSupportTopic(tx, chatId, groupChatId);
  await tx.supportTopic.update({ where: { chatId }, data: { unusableTexts: counter.count, unusableMark: counter.mark } });
}

// ---------------------------------------------------------------- notes and holds

export interface NoteRecord {
  authorName: string;
  text: string;
  createdAt: Date;
}

export async function insertNote(
  tx: DbOrTx,
  input: {
    chatId: bigint;
    orderId: string | null;
    handoffId: string | null;
    authorId: bigint;
    authorName: string;
    text: string;
    now: Date;
  },
): Promise<void> {
  await tx.managerNote.create({
    data: {
      id: newId(),
      chatId: input.chatId,
      orderId: input.orderId,
      handoffId: input.handoffId,
      authorId: input.authorId,
      authorName: input.authorName,
      text: input.text,
      createdAt: input.now,
    },
  });
}

/** The chat's latest notes, newest first, and how many notes the chat has in all. */
export async function latestNotes(tx: DbOrTx, chatId: bigint, take: number): Promise<{ notes: NoteRecord[]; total: number }> {
  const rows = await tx.managerNote.findMany({ where: { chatId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
  const total = rows.length < take ? rows.length : await tx.managerNote.count({ where: { chatId } });
  return { notes: rows.map((row) => ({ authorName: row.authorName, text: row.text, createdAt: row.createdAt })), total };
}

export async function putOrderOnHold(
  tx: DbOrTx,
  orderId: string,
  hold: { reason: string; byId: bigint; byName: string; at: Date },
): Promise<void> {
  await tx.orderHold.upsert({ where: { orderId }, create: { orderId, ...hold }, update: hold });
}

export async function releaseOrderHold(tx: DbOrTx, orderId: string): Promise<boolean> {
  const { count } = await tx.orderHold.deleteMany({ where: { orderId } });
  return count > 0;
}

// ---------------------------------------------------------------- relayed messages

export type EditAs = "text" | "caption" | "none";

export async function recordRelay(
  tx: DbOrTx,
  input: { handoffId: string; fromChatId: bigint; fromMessageId: number; toChatId: bigint; toMessageId: number; editAs: EditAs; now: Date },
): Promise<void> {
  const { now, ...data } = input;
  await tx.relayedMessage.upsert({
    where: { fromChatId_fromMessageId: { fromChatId: data.fromChatId, fromMessageId: data.fromMessageId } },
    create: { id: newId(), ...data, createdAt: now },
    update: { toChatId: data.toChatId, toMessageId: data.toMessageId, editAs: data.editAs },
  });
}

export async function findRelay(tx: DbOrTx, fromChatId: bigint, fromMessageId: number) {
  return tx.relayedMessage.findUnique({ where: { fromChatId_fromMessageId: { fromChatId, fromMessageId } } });
}

// ---------------------------------------------------------------- help ratings

export async function insertHelpRating(tx: DbOrTx, handoff: HandoffRecord, now: Date): Promise<void> {
  await tx.helpRating.upsert({
    where: { handoffId: handoff.id },
    create: { handoffId: handoff.id, chatId: handoff.chatId, orderId: handoff.orderId, managerId: handoff.managerId, askedAt: now },
    update: {},
  });
}

/** Records the score once; a second tap on the same question changes nothing. */
export async function answerHelpRating(tx: DbOrTx, handoffId: string, chatId: bigint, score: number, now: Date): Promise<boolean> {
  const { count } = await tx.helpRating.updateMany({ where: { handoffId, chatId, score: null }, data: { score, answeredAt: now } });
  return count === 1;
}

/** Puts an order's dialog back at a step (a manager's choice on hand back); bumps the version. */
export async function setDialogStep(tx: DbOrTx, orderId: string, step: DialogStep): Promise<void> {
  const { name, ...data } = step;
  await tx.orderDialog.update({ where: { orderId }, data: { step: name, data: data, version: { increment: 1 } } });
}
