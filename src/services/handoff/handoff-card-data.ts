import { findTelegramChat } from "../../db/customer-repository.js";
import { chatOrderIds, findHandoff, findSupportTopic, latestNotes, type HandoffRecord, type NoteRecord, type RecentText } from "../../db/handoff-repository.js";
import { findOrder, type OrderRecord } from "../../db/order-repository.js";
import type { DbOrTx } from "../../db/transaction.js";

/** Everything the managers' card shows about a handoff, read in one go when the card is sent. */
export interface HandoffCardData {
  handoff: HandoffRecord;
  customer: { name: string; username: string | null; language: string | null };
  /** The escalated order first, then the chat's other recent orders. */
  orders: OrderRecord[];
  notes: NoteRecord[];
  recentTexts: RecentText[];
}

export async function loadHandoffCard(db: DbOrTx, handoffId: string): Promise<HandoffCardData | null> {
  const handoff = await findHandoff(db, handoffId);
  if (!handoff) return null;
  const ids = await chatOrderIds(db, handoff.chatId, 3);
  const ordered = handoff.orderId ? [handoff.orderId, ...ids.filter((id) => id !== handoff.orderId)].slice(0, 3) : ids;
  const orders = (await Promise.all(ordered.map((id) => findOrder(db, id)))).filter((r): r is OrderRecord => r !== null);
  const chat = await findTelegramChat(db, handoff.chatId);
  const topic = await findSupportTopic(db, handoff.chatId);
  return {
    handoff,
    customer: {
      name: orders[0]?.order.customer.name ?? (chat?.username ? `@${chat.username}` : String(handoff.chatId)),
      username: chat?.username ?? null,
      language: orders[0]?.order.customer.language ?? chat?.languageCode ?? null,
    },
    orders,
    notes: await latestNotes(db, handoff.chatId),
    recentTexts: ((topic?.recentTexts as unknown as RecentText[] | null) ?? []).slice(-3),
  };
}
