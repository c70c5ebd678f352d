import { customerUnreachableSince, findTelegramChat } from "../../db/customer-repository.js";
import {
  chatOrderIds,
  findHandoff,
  findSupportTopic,
  latestNotes,
  type HandoffRecord,
  type NoteRecord,
  type RecentText,
} from "../../db/handoff-repository.js";
import { findOrder, type OrderRecord } from "../../db/order-repository.js";
import type { DbOrTx } from "../../db/transaction.js";
import { enabledMethods } from "../../domain/delivery-options.js";
import { resumeChoices, type ResumeChoice } from "../../domain/handoff.js";
import { dialogRules, dialogSettingsOf } from "../dialog-settings.js";
import type { ServiceDependencies } from "../service-dependencies.js";

/** Everything the managers' card shows about a handoff, read in one go when the card is sent. */
export interface HandoffCardData {
  handoff: HandoffRecord;
  /** `unreachableSince`: Telegram answers 403 for the customer (they blocked the bot) since then, until they write again. */
  customer: { name: string; username: string | null; language: string | null; unreachableSince: Date | null };
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
export function cardOrderActions(record: OrderRecord | undefined, deps: SettingsDeps): CardOrderActions {
  if (!record || record.order.state !== "awaiting_customer")
    return { open: false, resumeChoices: ["where_stopped"], changeDelivery: false };
  const rules = dialogRules(dialogSettingsOf(record, deps));
  return {
    open: true,
    resumeChoices: resumeChoices(record.order, rules),
    changeDelivery: !record.order.delivery?.fixed && enabledMethods(rules.delivery).includes("courier"),
  };
}

type SettingsDeps = Pick<ServiceDependencies, "config" | "logger">;

export async function loadHandoffCard(db: DbOrTx, handoffId: string, deps: SettingsDeps): Promise<HandoffCardData | null> {
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
      unreachableSince: await customerUnreachableSince(db, handoff.chatId),
    },
    orders,
    notes,
    noteCount: total,
    recentTexts: ((topic?.recentTexts as unknown as RecentText[] | null) ?? []).slice(-3),
    actions: cardOrderActions(
      orders.find((record) => record.order.id === handoff.orderId),
      deps,
    ),
  };
}
