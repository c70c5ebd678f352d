import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import { customerOrders, type CustomerOrderItem } from "../../services/customer-orders.js";
import { formatDay } from "../notifications/notification-messages.js";

/** Telegram's limit for one message's text. */
const messageLimit = 4096;

/**
 * "Where is my order?": /orders in the customer's private chat lists the orders linked to that
 * chat (open ones and the last 30 days', newest first), with status, expected date and tracking.
 */
export const ordersFlow = new Composer<BotContext>();

ordersFlow.chatType("private").command("orders", async (ctx) => {
  const items = await customerOrders(ctx.services, BigInt(ctx.chat.id));
  await ctx.reply(ordersMessage(items, ctx), { parse_mode: "HTML" });
});

type Locale = Pick<BotContext, "t" | "language">;

function statusWords(item: CustomerOrderItem, t: BotContext["t"]): string {
  if (item.state !== "confirmed" || item.deliveryStatus === null) return t(`order.states.${item.state}`);
  return t(`notifications.statusNames.${item.deliveryStatus}`, { defaultValue: item.deliveryStatus });
}

function orderBlock(item: CustomerOrderItem, { t, language }: Locale): string {
  const lines = [t("orders.item", { orderNumber: item.orderNumber }), t("orders.status", { status: statusWords(item, t) })];
  if (item.expectedDate) lines.push(t("notifications.status.expected", { date: formatDay(item.expectedDate, language) }));
  if (item.tracking) {
    const { number, carrier } = item.tracking;
    lines.push(carrier ? t("notifications.status.trackingCarrier", { number, carrier }) : t("notifications.status.tracking", { number }));
  }
  return lines.join("\n");
}

/** The list as one message; orders that would not fit Telegram's limit are left off the end. */
export function ordersMessage(items: CustomerOrderItem[], locale: Locale): string {
  if (items.length === 0) return locale.t("orders.none");
  const blocks = items.map((item) => orderBlock(item, locale));
  for (let shown = blocks.length; shown > 0; shown--) {
    const text = [locale.t("orders.title", { count: shown }), ...blocks.slice(0, shown)].join("\n\n");
    if (text.length <= messageLimit) return text;
  }
  return locale.t("orders.title", { count: 1 }) + "\n\n" + blocks[0]!.slice(0, messageLimit - 100);
}
