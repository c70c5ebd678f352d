import { parseDialogSettings, type DialogSettings } from "../config/dialog-settings-snapshot.js";
import type { ChatOwner, Dialog, DialogStep, OptionalStep } from "../domain/order-dialog.js";
import type { Delivery, Order, OrderLine, OrderState, ShortageResolution, Substitute } from "../domain/order.js";
import { orderTotal } from "../domain/order.js";
import { chatOwnerOf, chatOwnersOf } from "./handoff-repository.js";
import { Prisma } from "./models.js";
import type { DbOrTx } from "./transaction.js";

/** The dialog as stored: the domain's Dialog plus what only the bot layer needs. */
export interface StoredDialog extends Dialog {
  /** Who has the customer's chat now: read from the chat's open handoff, not stored with the order. */
  owner: ChatOwner;
  /** The message that carries the dialog's buttons, edited in place. */
  messageId: number | null;
  /**
   * The configuration the dialog started with, parsed from its stored snapshot; null when that
   * no longer parses (an older shape): the dialog then follows today's configuration, which
   * services/dialog-settings.ts (dialogSettingsOf) decides, and logs, in one place.
   */
  settings: DialogSettings | null;
}

/** An order with everything around it that the use cases need. */
export interface OrderRecord {
  order: Order;
  dialog: StoredDialog;
  /** The customer's private chat, once linked. */
  chatId: bigint | null;
  telegramUserId: bigint | null;
  startToken: string | null;
  /** sha256 of the last payload the shop sent for this order. */
  payloadHash: string;
  createdAt: Date;
  updatedAt: Date;
  /** Set while a manager has put the order on hold (/hold), with the reason all staff see. */
  hold: { reason: string; by: string; at: Date } | null;
  /** Reaching a customer who has not opened the chat: notices sent to the shop, and when the bot gave up. */
  reach: { unreachedNotices: number; givenUpAt: Date | null };
}

const orderInclude = { items: { orderBy: { position: "asc" } }, customer: true, dialog: true, hold: true } as const;
type OrderRow = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

// Json columns cannot hold bigint: money inside Json is a string of minor units.
type StoredSubstitute = { sku: string; name: string; unitPriceMinor: string };
const substitutesToJson = (subs: Substitute[]): StoredSubstitute[] =>
  subs.map((s) => ({ sku: s.sku, name: s.name, unitPriceMinor: s.unitPriceMinor.toString() }));
const substitutesFromJson = (json: unknown): Substitute[] =>
  (json as StoredSubstitute[]).map((s) => ({ sku: s.sku, name: s.name, unitPriceMinor: BigInt(s.unitPriceMinor) }));

type StoredDelivery = Omit<Delivery, "priceMinor"> & { priceMinor?: string | null };
const deliveryFromJson = (json: unknown): Delivery | null => {
  if (!json) return null;
  const { priceMinor, ...rest } = json as StoredDelivery;
  return { ...rest, priceMinor: priceMinor === undefined || priceMinor === null ? null : BigInt(priceMinor) };
};

type StoredLine = Omit<OrderLine, "unitPriceMinor" | "substitutes"> & { unitPriceMinor: string; substitutes: StoredSubstitute[] };
const lineToJson = (line: OrderLine): StoredLine => ({
  ...line,
  unitPriceMinor: line.unitPriceMinor.toString(),
  substitutes: substitutesToJson(line.substitutes),
});
const lineFromJson = (line: StoredLine): OrderLine => ({
  ...line,
  unitPriceMinor: BigInt(line.unitPriceMinor),
  substitutes: substitutesFromJson(line.substitutes),
});
const resolutionsToJson = (resolutions: ShortageResolution[]) =>
  resolutions.map((r) => ({ ...r, original: lineToJson(r.original) })) as unknown as Prisma.InputJsonArray;
const resolutionsFromJson = (json: unknown): ShortageResolution[] =>
  ((json ?? []) as Array<Omit<ShortageResolution, "original"> & { original: StoredLine }>).map((r) => ({
    ...r,
    original: lineFromJson(r.original),
  }));

function toRecord(row: OrderRow, owner: ChatOwner): OrderRecord {
  if (!row.dialog) throw new Error(`order ${row.id} has no dialog row`);
  return {
    order: {
      id: row.id,
      externalId: row.externalId,
      state: row.state as OrderState,
      currency: row.currency,
      items: row.items.map((item): OrderLine => ({
        position: item.position,
        sku: item.sku,
        name: item.name,
        quantity: item.quantity,
        unitPriceMinor: item.unitPriceMinor,
        available: item.available,
        substitutes: substitutesFromJson(item.substitutes),
        ...(item.returnable ? {} : { returnable: false }),
      })),
      delivery: deliveryFromJson(row.delivery),
      comment: row.comment,
      customer: { id: row.customer.id, name: row.customer.name, phone: row.customer.phone, language: row.customer.language },
    },
    dialog: {
      step: { ...(row.dialog.data as object), name: row.dialog.step } as DialogStep,
      version: row.dialog.version,
      owner,
      resolutions: resolutionsFromJson(row.dialog.resolutions),
      done: (row.dialog.done ?? []) as OptionalStep[],
      messageId: row.dialog.messageId,
      settings: parseDialogSettings(row.dialog.configSnapshot),
    },
    chatId: row.chatId,
    telegramUserId: row.customer.telegramUserId,
    startToken: row.startToken,
    payloadHash: row.payloadHash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    hold: row.hold ? { reason: row.hold.reason, by: row.hold.byName, at: row.hold.at } : null,
    reach: { unreachedNotices: row.unreachedNotices, givenUpAt: row.reachGivenUpAt },
  };
}

/** Records of rows read together, with who has each one's chat (one handoff query for all). */
async function withOwners(tx: DbOrTx, rows: OrderRow[]): Promise<OrderRecord[]> {
  const ownerOf = await chatOwnersOf(
    tx,
    rows.map((row) => row.chatId),
  );
  return rows.map((row) => toRecord(row, ownerOf(row.chatId)));
}

/** The step's name is a column (queryable); whatever else the step holds goes to `data`. */
const stepColumns = ({ name, ...data }: DialogStep) => ({ step: name, data });
const dialogColumns = (dialog: Dialog) => ({
  ...stepColumns(dialog.step),
  version: dialog.version,
  resolutions: resolutionsToJson(dialog.resolutions),
  done: dialog.done,
});

/** Json columns take plain objects; null must be said as Prisma.DbNull. */
const deliveryJson = (delivery: Delivery | null) =>
  delivery
    ? ({
        ...delivery,
        priceMinor: delivery.priceMinor === undefined || delivery.priceMinor === null ? null : delivery.priceMinor.toString(),
      } as Prisma.InputJsonObject)
    : Prisma.DbNull;

const itemData = (line: OrderLine) => ({
  position: line.position,
  sku: line.sku,
  name: line.name,
  quantity: line.quantity,
  unitPriceMinor: line.unitPriceMinor,
  available: line.available,
  substitutes: substitutesToJson(line.substitutes),
  returnable: line.returnable ?? true,
});

/**
 * One order, read so that its dialog version can guard a write of what was decided from it.
 * Prisma reads an order and its relations in several statements, and under PostgreSQL's READ
 * COMMITTED (or between statements outside a transaction) another writer can commit in between:
 * the lines could be older than the dialog row, and a decision on old lines would pass the
 * version check (a lost update, seen as quantity changes racing). So the version is read first:
 * everything read after it is at least that new, and if anything changed since, the version has
 * moved on and the guarded save refuses ("conflict": decide again).
 */
async function findOne(tx: DbOrTx, where: { id: string } | { externalId: string } | { startToken: string }): Promise<OrderRecord | null> {
  const head = await tx.orderDialog.findFirst({ where: { order: where }, select: { version: true } });
  if (!head) return null;
  const row = await tx.order.findUnique({ where, include: orderInclude });
  if (!row) return null;
  const record = toRecord(row, await chatOwnerOf(tx, row.chatId));
  return { ...record, dialog: { ...record.dialog, version: head.version } };
}

export const findOrder = (tx: DbOrTx, id: string): Promise<OrderRecord | null> => findOne(tx, { id });

export const findOrderByExternalId = (tx: DbOrTx, externalId: string): Promise<OrderRecord | null> => findOne(tx, { externalId });

export const findOrderByStartToken = (tx: DbOrTx, startToken: string): Promise<OrderRecord | null> => findOne(tx, { startToken });

/** Orders still waiting for the customer in a chat, oldest first. */
export async function findOpenOrdersInChat(tx: DbOrTx, chatId: bigint): Promise<OrderRecord[]> {
  const rows = await tx.order.findMany({
    where: { chatId, state: "awaiting_customer" },
    include: orderInclude,
    orderBy: { createdAt: "asc" },
  });
  return withOwners(tx, rows);
}

/**
 * Open orders placed with this phone that no Telegram chat has claimed yet, except those the shop
 * sent for another Telegram user (a shared number proves less than the shop's own word).
 */
export async function findUnlinkedOpenOrdersByPhone(tx: DbOrTx, phone: string, telegramUserId: bigint): Promise<OrderRecord[]> {
  const rows = await tx.order.findMany({
    where: { chatId: null, state: "awaiting_customer", customer: { phone, OR: [{ telegramUserId: null }, { telegramUserId }] } },
    include: orderInclude,
    orderBy: { createdAt: "asc" },
  });
  return withOwners(tx, rows);
}

/** Open orders the shop sent with this Telegram user's id that are not linked to a chat yet. */
export async function findUnlinkedOpenOrdersOfTelegramUser(tx: DbOrTx, telegramUserId: bigint): Promise<OrderRecord[]> {
  const rows = await tx.order.findMany({
    where: { chatId: null, state: "awaiting_customer", customer: { telegramUserId } },
    include: orderInclude,
    orderBy: { createdAt: "asc" },
  });
  return withOwners(tx, rows);
}

export interface NewOrder {
  order: Order;
  startToken: string;
  chatId: bigint | null;
  configSnapshot: Prisma.InputJsonValue;
  dialog: Dialog;
  payloadHash: string;
}

export async function insertOrder(tx: DbOrTx, input: NewOrder): Promise<void> {
  const { order } = input;
  await tx.order.create({
    data: {
      id: order.id,
      externalId: order.externalId,
      customerId: order.customer.id,
      state: order.state,
      currency: order.currency,
      totalMinor: orderTotal(order),
      delivery: deliveryJson(order.delivery),
      comment: order.comment,
      startToken: input.startToken,
      chatId: input.chatId,
      payloadHash: input.payloadHash,
      items: { create: order.items.map((line) => ({ id: `${order.id}:${line.position}`, ...itemData(line) })) },
      dialog: {
        create: {
          ...dialogColumns(input.dialog),
          configSnapshot: input.configSnapshot,
        },
      },
    },
  });
}

export interface WriteOptions {
  /** The order as it was read: only the lines that differ from it are written. */
  previous?: Order;
  /** The moment of the change (the app's clock), recorded as the order's updatedAt. */
  now?: Date;
}

const sameLine = (a: OrderLine, b: OrderLine): boolean => JSON.stringify(lineToJson(a)) === JSON.stringify(lineToJson(b));

/**
 * Writes the order's fields and lines as they now are (lines matched by position). Given the
 * order as it was read, lines that did not change are not written: most taps change the
 * delivery or the step, not the items, and every statement costs (see docs/benchmarks.md).
 */
async function writeOrder(tx: DbOrTx, order: Order, options: WriteOptions = {}): Promise<void> {
  const { previous, now } = options;
  await tx.order.update({
    where: { id: order.id },
    data: {
      state: order.state,
      currency: order.currency,
      totalMinor: orderTotal(order),
      delivery: deliveryJson(order.delivery),
      comment: order.comment,
      ...(now ? { updatedAt: now } : {}),
    },
  });
  const positions = order.items.map((line) => line.position);
  if (!previous || previous.items.some((line) => !positions.includes(line.position))) {
    await tx.orderItem.deleteMany({ where: { orderId: order.id, position: { notIn: positions } } });
  }
  for (const line of order.items) {
    const before = previous?.items.find((l) => l.position === line.position);
    if (before && sameLine(before, line)) continue;
    await tx.orderItem.upsert({
      where: { orderId_position: { orderId: order.id, position: line.position } },
      create: { id: `${order.id}:${line.position}`, orderId: order.id, ...itemData(line) },
      update: itemData(line),
    });
  }
}

/** The delivery of an order outside its dialog (a remedy the customer chose after confirming). */
export async function updateOrderDelivery(tx: DbOrTx, orderId: string, delivery: Delivery | null, now: Date): Promise<void> {
  await tx.order.update({ where: { id: orderId }, data: { delivery: deliveryJson(delivery), updatedAt: now } });
}

/**
 * Saves a decided order and dialog, only if nobody else changed the dialog since it was read
 * (optimistic concurrency on the dialog's version). "conflict" means: read again and decide again.
 */
export async function saveDecision(
  tx: DbOrTx,
  readVersion: number,
  order: Order,
  dialog: Dialog,
  options: WriteOptions = {},
): Promise<"saved" | "conflict"> {
  const claimed = await tx.orderDialog.updateMany({
    where: { orderId: order.id, version: readVersion },
    data: dialogColumns(dialog),
  });
  if (claimed.count === 0) return "conflict";
  await writeOrder(tx, order, options);
  return "saved";
}

/**
 * The shop re-sent an order with changes: replace it and restart the dialog at the read-back,
 * only if the dialog is still at the version read ("conflict": read again, it may be final now).
 */
export async function replaceOrder(
  tx: DbOrTx,
  readVersion: number,
  order: Order,
  dialog: Dialog,
  configSnapshot: Prisma.InputJsonValue,
): Promise<"saved" | "conflict"> {
  const claimed = await tx.orderDialog.updateMany({
    where: { orderId: order.id, version: readVersion },
    data: { ...dialogColumns(dialog), configSnapshot },
  });
  if (claimed.count === 0) return "conflict";
  await writeOrder(tx, order);
  return "saved";
}

/**
 * Links an order to a customer's chat, unless another chat has it already ("taken": of two people
 * opening the same link at once, one gets the order).
 */
export async function bindOrderToChat(tx: DbOrTx, orderId: string, chatId: bigint): Promise<"bound" | "taken"> {
  const bound = await tx.order.updateMany({ where: { id: orderId, OR: [{ chatId: null }, { chatId }] }, data: { chatId } });
  return bound.count === 1 ? "bound" : "taken";
}

/** The message that carries an order's dialog buttons (null: none yet, or no such order). */
/** The shop's own ids of these orders (those that exist), by ordergram's id. */
export async function findExternalIds(tx: DbOrTx, orderIds: string[]): Promise<Map<string, string>> {
  const rows = await tx.order.findMany({ where: { id: { in: orderIds } }, select: { id: true, externalId: true } });
  return new Map(rows.map((row) => [row.id, row.externalId]));
}

export async function findDialogMessageId(tx: DbOrTx, orderId: string): Promise<number | null> {
  return (await tx.orderDialog.findUnique({ where: { orderId }, select: { messageId: true } }))?.messageId ?? null;
}

export async function setDialogMessage(tx: DbOrTx, orderId: string, messageId: number | null): Promise<void> {
  await tx.orderDialog.update({ where: { orderId }, data: { messageId } });
}

/** The open order in a chat whose dialog waits at one of these steps (the latest, if several do). */
export async function findOpenOrderAtStep(tx: DbOrTx, chatId: bigint, steps: string[]): Promise<OrderRecord | null> {
  const row = await tx.order.findFirst({
    where: { chatId, state: "awaiting_customer", dialog: { step: { in: steps } } },
    select: { id: true },
    orderBy: { dialog: { updatedAt: "desc" } },
  });
  // Read whole, version first (see findOne): the caller may decide on it.
  return row ? findOrder(tx, row.id) : null;
}

/** What the customer's order list (/orders) shows of one order: plain columns, no dialog. */
export interface ChatOrderSummary {
  externalId: string;
  state: OrderState;
  deliveryStatus: string | null;
  /** { number, carrier, url, expectedDate, ... } as the shop last sent it. */
  tracking: unknown;
  /** The agreed delivery date (YYYY-MM-DD), if the delivery has one. */
  deliveryDate: string | null;
  /** The due date of the open delivery promise, if there is one. */
  promisedDate: string | null;
  createdAt: Date;
}

/**
 * The orders of one chat that its customer may still ask about: those waiting for them, those
 * confirmed and not delivered yet, and any placed since `since`; newest first, at most `limit`.
 * Only orders linked to this chat: nobody sees another customer's orders.
 */
export async function findRecentOrdersInChat(tx: DbOrTx, chatId: bigint, since: Date, limit: number): Promise<ChatOrderSummary[]> {
  const rows = await tx.order.findMany({
    where: { chatId, OR: [{ state: "awaiting_customer" }, { state: "confirmed", deliveredAt: null }, { createdAt: { gte: since } }] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      externalId: true,
      state: true,
      deliveryStatus: true,
      tracking: true,
      delivery: true,
      createdAt: true,
      promises: { where: { kind: "delivery", status: "open" }, orderBy: { madeAt: "desc" }, take: 1, select: { dueDate: true } },
    },
  });
  return rows.map((row) => ({
    externalId: row.externalId,
    state: row.state as OrderState,
    deliveryStatus: row.deliveryStatus,
    tracking: row.tracking,
    deliveryDate: deliveryFromJson(row.delivery)?.date ?? null,
    promisedDate: row.promises[0]?.dueDate ?? null,
    createdAt: row.createdAt,
  }));
}
