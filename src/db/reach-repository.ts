import type { LinkWay, OrderReachFacts } from "../domain/reach-stats.js";
import type { DbOrTx } from "./transaction.js";

/** The history entries that mark a step of reaching the customer. */
const linkedEvent = "customer.linked";
const readBackEvent = "message.sent";
const confirmedEvents = ["customer.confirmed", "manager.confirmed"];

/** Orders are read in slices: SQLite limits how many values one query may bind. */
const sliceSize = 500;

/**
 * The reach facts of the orders created in [from, to), from their history (its moments are the
 * app's clock, like everything the timers count from).
 */
export async function orderReachFacts(db: DbOrTx, range: { from: Date; to: Date }): Promise<OrderReachFacts[]> {
  const created = await db.orderEvent.findMany({
    where: { type: "order.created", at: { gte: range.from, lt: range.to } },
    select: { orderId: true, at: true },
  });
  const facts: OrderReachFacts[] = [];
  for (let start = 0; start < created.length; start += sliceSize) {
    const slice = created.slice(start, start + sliceSize);
    const ids = slice.map((row) => row.orderId);
    const [events, orders] = await Promise.all([
      db.orderEvent.findMany({
        where: { orderId: { in: ids }, type: { in: [linkedEvent, readBackEvent, ...confirmedEvents] } },
        orderBy: [{ at: "asc" }, { id: "asc" }],
        select: { orderId: true, type: true, at: true, data: true },
      }),
      db.order.findMany({ where: { id: { in: ids } }, select: { id: true, chatId: true } }),
    ]);
    const withChat = new Set(orders.filter((o) => o.chatId !== null).map((o) => o.id));
    const byOrder = new Map<string, typeof events>();
    for (const event of events) byOrder.set(event.orderId, [...(byOrder.get(event.orderId) ?? []), event]);
    for (const { orderId, at } of slice) {
      const own = byOrder.get(orderId) ?? [];
      const linked = own.find((event) => event.type === linkedEvent);
      // Linked in the chat (start link, shared phone, the Telegram id the shop sent), or the order
      // arrived for a chat the bot knew already.
      const linkedHow: LinkWay | null = linked ? (linked.data as { how: LinkWay }).how : withChat.has(orderId) ? "known_chat" : null;
      facts.push({
        createdAt: at,
        linkedHow,
        firstReadBackAt: own.find((event) => event.type === readBackEvent)?.at ?? null,
        confirmedAt: own.find((event) => confirmedEvents.includes(event.type))?.at ?? null,
      });
    }
  }
  return facts;
}
