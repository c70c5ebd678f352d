import type { OrderHistoryEntry } from "../db/order-event-repository.js";
import type { OrderRecord } from "../db/order-repository.js";
import { toDecimalString } from "../domain/money.js";
import { itemsTotal, lineTotal, orderTotal } from "../domain/order.js";

/**
 * The order as the shop sees it, in the API and in every webhook: money as exact decimal strings
 * in major units, the dialog's state, and (in the API) the history.
 */
export function orderView(record: OrderRecord, botUsername: string, history?: OrderHistoryEntry[]) {
  const { order, dialog } = record;
  const money = (minor: bigint) => toDecimalString(minor, order.currency);
  return {
    id: order.id,
    externalId: order.externalId,
    state: order.state,
    currency: order.currency,
    customer: {
      name: order.customer.name,
      phone: order.customer.phone,
      language: order.customer.language,
      telegramLinked: record.chatId !== null,
    },
    items: order.items.map((line) => ({
      position: line.position,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: money(line.unitPriceMinor),
      lineTotal: money(lineTotal(line)),
      available: line.available,
      substitutes: line.substitutes.map((s) => ({ sku: s.sku, name: s.name, unitPrice: money(s.unitPriceMinor) })),
    })),
    itemsTotal: money(itemsTotal(order)),
    total: money(orderTotal(order)),
    delivery: order.delivery
      ? {
          method: order.delivery.method,
          address: order.delivery.address,
          date: order.delivery.date,
          window: order.delivery.window,
          pointId: order.delivery.pointId ?? null,
          zone: order.delivery.zone ?? null,
          price: order.delivery.priceMinor === undefined || order.delivery.priceMinor === null ? null : money(order.delivery.priceMinor),
          fixed: order.delivery.fixed ?? false,
        }
      : null,
    comment: order.comment,
    dialog: { step: dialog.step.name, owner: dialog.owner, version: dialog.version },
    /** A manager put the order on hold (/hold in the managers' group): the reason, who, when. */
    hold: record.hold ? { reason: record.hold.reason, by: record.hold.by, at: record.hold.at.toISOString() } : null,
    startLink: record.startToken ? startLink(botUsername, record.startToken) : null,
    /** A customer who has not opened the chat: how often the shop was told, and when the bot gave up (a person takes over). */
    reach: { unreachedNotices: record.reach.unreachedNotices, givenUpAt: record.reach.givenUpAt?.toISOString() ?? null },
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    ...(history ? { history: history.map((h) => ({ at: h.at.toISOString(), type: h.type, actor: h.actor, data: h.data })) } : {}),
  };
}

export type OrderView = ReturnType<typeof orderView>;

export const startLink = (botUsername: string, token: string): string => `https://t.me/${botUsername}?start=${token}`;
