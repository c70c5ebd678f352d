import type { DbOrTx } from "./transaction.js";

/** Stock the shop pushed, for these SKUs (SKUs never pushed are absent). */
export async function stockLevels(tx: DbOrTx, skus: string[]): Promise<Map<string, number>> {
  if (!skus.length) return new Map();
  const rows = await tx.stockLevel.findMany({ where: { sku: { in: [...new Set(skus)] } } });
  return new Map(rows.map((row) => [row.sku, row.available]));
}

export async function setStockLevels(tx: DbOrTx, levels: Array<{ sku: string; available: number }>): Promise<void> {
  for (const { sku, available } of levels) {
    await tx.stockLevel.upsert({ where: { sku }, create: { sku, available }, update: { available } });
  }
}

/**
 * A confirmed order takes its quantities out of the stock the shop pushed, until the shop's next
 * push says otherwise: of two customers confirming the last unit, one gets it. Each decrement is
 * guarded (never below zero); "short" when a pushed level no longer covers a line (the caller
 * rolls back and decides again on the fresh stock). SKUs the shop never pushed are not counted.
 */
export async function reserveStock(tx: DbOrTx, lines: Array<{ sku: string; quantity: number }>): Promise<"reserved" | "short"> {
  const known = await stockLevels(
    tx,
    lines.map((line) => line.sku),
  );
  for (const { sku, quantity } of lines) {
    if (!known.has(sku)) continue;
    const taken = await tx.stockLevel.updateMany({
      where: { sku, available: { gte: quantity } },
      data: { available: { decrement: quantity } },
    });
    if (taken.count === 0) return "short";
  }
  return "reserved";
}

/** Lines of orders still waiting for the customer take the new stock as their `available`. */
export async function applyStockToOpenOrders(tx: DbOrTx, levels: Array<{ sku: string; available: number }>): Promise<string[]> {
  const touched = new Set<string>();
  for (const { sku, available } of levels) {
    const lines = await tx.orderItem.findMany({ where: { sku, order: { state: "awaiting_customer" } }, select: { orderId: true } });
    if (!lines.length) continue;
    await tx.orderItem.updateMany({ where: { sku, order: { state: "awaiting_customer" } }, data: { available } });
    for (const line of lines) touched.add(line.orderId);
  }
  return [...touched];
}
