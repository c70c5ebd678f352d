import type { ConfigFile } from "../../config/config-schema.js";
import { findTelegramChat } from "../../db/customer-repository.js";
import { chatOrderIds, findHandoff, findSupportTopic, latestNotes, type HandoffRecord, type NoteRecord, type RecentText } from "../../db/handoff-repository.js";
import { findOrder, type OrderRecord } from "../../db/order-repository.js";
import type { DbOrTx } from "../../db/transaction.js";
import { enabledMethods } from "../../domain/delivery-options.js";
import { resumeChoices, type ResumeChoice } from "../../domain/handoff.js";
import { dialogSettingsFrom } from "../../config/dialog-settings-snapshot.js";
import { dialogRules } from "../dialog-settings.js";

/** Everything the managers' card shows about a handoff, read in one go when the card is sent. */
export interface HandoffCardData {
  handoff: HandoffRecord;
  customer: { name: string; username: string | null; language: string | null };
  /** The escalated order first, then the chat's other recent orders. */
  orders: OrderRecord[];
  /** The latest notes, newest first (the card shows as many as fit). */
  notes: NoteRecord[];
  /** How many notes the chat has, shown or not. */
  noteCount: number;
  recentTexts: RecentText[];
  /** What the card offers for the escalated order while it is open (none when it is settled). */
  actions: CardOrderActions;
}

export interface CardOrderActions {
  /** The escalated order still waits for the customer: resend, confirm, cancel. */
  open: boolean;
  /** Where a hand back may resume ("where_stopped" always). */
  resumeChoices: ResumeChoice[];
  /** A courier day and window can be set from the card (courier offered, delivery not fixed). */
  changeDelivery: boolean;
}

/** What a manager may do from the card with this order, by the rules its dialog runs on. */
export function cardOrderActions(record: OrderRecord | undefined, config: ConfigFile): CardOrderActions {
  if (!record || record.order.state !== "awaiting_customer") return { open: false, resumeChoices: ["where_stopped"], changeDelivery: false };
  // Not dialogSettingsOf: the handoff sender passes the config alone, without the logger that
  // warns about an unreadable snapshot (the dialog's own paths warn about it).
  const rules = dialogRules(record.dialog.settings ?? dialogSettingsFrom(config));
  return {
    open: true,
    resumeChoices: resumeChoices(record.order, rules),
    changeDelivery: !record.order.delivery?.fixed && enabledMethods(rules.delivery).includes("courier"),
  };
}

export async function loadHandoffCard(db: DbOrTx, handoffId: string, config: ConfigFile): Promise<HandoffCardData | null> {
  const handoff = await findHandoff(db, handoffId);
  if (!handoff) return null;
  const ids = await chatOrderIds(db, handoff.chatId, 3);
  const ordered = handoff.orderId ? [handoff.orderId, ...ids.filter((id) => id !== handoff.orderId)].slice(0, 3) : ids;
  const orders = (await Promise.all(ordered.map((id) => findOrder(db, id)))).filter((r): r is OrderRecord => r !== null);
  const chat = await findTelegramChat(db, handoff.chatId);
  const topic = await findSupportTopic(db, handoff.chatId);
  const { notes, total } = await latestNotes(db, handoff.chatId, 10);
  return {
    handoff,
    customer: {
      name: orders[0]?.order.customer.name ?? (chat?.username ? `@${chat.username}` : String(handoff.chatId)),
      username: chat?.username ?? null,
      language: orders[0]?.order.customer.language ?? chat?.languageCode ?? null,
    },
    orders,
    notes,
    noteCount: total,
    recentTexts: ((topic?.recentTexts as unknown as RecentText[] | null) ?? []).slice(-3),
    actions: cardOrderActions(orders.find((record) => record.order.id === handoff.orderId), config),
  };
}
