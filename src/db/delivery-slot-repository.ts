import type { DbOrTx } from "./transaction.js";

/**
 * Takes one place in a courier window, unless it is full. The guarded increment is one
 * statement, so of two customers racing for the last place exactly one gets it, on SQLite and on
 * PostgreSQL alike.
 */
export async function bookDeliverySlot(tx: DbOrTx, slot: { date: string; window: string; capacity: number }): Promise<boolean> {
  // eslint-disable-next-line max-len -- a tagged SQL template: a break would change the query text
  await tx.$executeRaw`INSERT INTO "DeliverySlot" ("date", "window", "booked") VALUES (${slot.date}, ${slot.window}, 0) ON CONFLICT DO NOTHING`;
  const taken = await tx.deliverySlot.updateMany({
    where: { date: slot.date, window: slot.window, booked: { lt: slot.capacity } },
    data: { booked: { increment: 1 } },
  });
  return taken.count === 1;
}

/** Takes one place in a window whatever its capacity: the shop itself decided the order's window. */
export async function holdDeliverySlot(tx: DbOrTx, slot: { date: string; window: string }): Promise<void> {
  // eslint-disable-next-line max-len -- a tagged SQL template: a break would change the query text
  await tx.$executeRaw`INSERT INTO "DeliverySlot" ("date", "window", "booked") VALUES (${slot.date}, ${slot.window}, 0) ON CONFLICT DO NOTHING`;
  await tx.deliverySlot.updateMany({ where: { date: slot.date, window: slot.window }, data: { booked: { increment: 1 } } });
}

export async function releaseDeliverySlot(tx: DbOrTx, slot: { date: string; window: string }): Promise<void> {
  await tx.deliverySlot.updateMany({
    where: { date: slot.date, window: slot.window, booked: { gt: 0 } },
    data: { booked: { decrement: 1 } },
  });
}

/** How many places each window of these days holds ("date|window" → count). */
export async function bookedSlots(tx: DbOrTx, dates: string[]): Promise<Map<string, number>> {
  const rows = await tx.deliverySlot.findMany({ where: { date: { in: dates } } });
  return new Map(rows.map((row) => [`${row.date}|${row.window}`, row.booked]));
}
