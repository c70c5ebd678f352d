import { appendOrderEvents } from "../db/order-event-repository.js";
import { applyStockToOpenOrders, setStockLevels } from "../db/stock-repository.js";
import { withTransaction } from "../db/transaction.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/**
 * The shop pushed stock (PUT /api/v1/stock). Orders still waiting for their customer take it as
 * the lines' availability; a line now short is raised with the customer before confirmation
 * (the dialog checks stock again at the moment of Confirm).
 */
export async function updateStock(
  deps: ServiceDependencies,
  levels: Array<{ sku: string; available: number }>,
): Promise<{ skus: number; openOrdersAffected: string[] }> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    await setStockLevels(tx, levels);
    const affected = await applyStockToOpenOrders(tx, levels);
    for (const orderId of affected) {
      await appendOrderEvents(tx, orderId, now, "shop", [{ type: "stock.updated", data: { levels: levels.map((l) => ({ ...l })) } }]);
    }
    return { skus: levels.length, openOrdersAffected: affected };
  });
}
