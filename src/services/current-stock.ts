import { stockLevels } from "../db/stock-repository.js";
import type { DbOrTx } from "../db/transaction.js";
import type { Order } from "../domain/order.js";

/**
 * The order with each line's and each substitute's stock as the shop last pushed it
 * (PUT /api/v1/stock). Applied wherever the dialog is decided or shown, so a substitute that ran
 * out is neither offered nor accepted.
 */
export async function withCurrentStock(tx: DbOrTx, order: Order): Promise<Order> {
  const stock = await stockLevels(
    tx,
    order.items.flatMap((line) => [line.sku, ...line.substitutes.map((s) => s.sku)]),
  );
  if (!stock.size) return order;
  return {
    ...order,
    items: order.items.map((line) => ({
      ...line,
      available: stock.get(line.sku) ?? line.available,
      substitutes: line.substitutes.map((s) => (stock.has(s.sku) ? { ...s, available: stock.get(s.sku)! } : s)),
    })),
  };
}
