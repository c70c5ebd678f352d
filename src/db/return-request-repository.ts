import type { ReturnResolution, ReturnStatus } from "../domain/return-request.js";
import type { Prisma } from "./models.js";
import type { DbOrTx } from "./transaction.js";

/** One status the shop set, with what it said (instructions, a reason, an amount). */
export interface ReturnHistoryEntry {
  status: ReturnStatus;
  /** ISO instant. */
  at: string;
  details: Record<string, unknown>;
}

export interface ReturnPhotoRecord {
  id: string;
  position: number;
  fileId: string;
  fileUniqueId: string;
  width: number;
  height: number;
  fileSize: number | null;
  /** Relative to returns.photos.directory; null: not kept (yet). */
  storedPath: string | null;
}

export interface ReturnRequestRecord {
  id: string;
  orderId: string;
  chatId: bigint;
  status: ReturnStatus;
  reason: string;
  comment: string | null;
  resolution: ReturnResolution;
  exchangeFor: string | null;
  language: string;
  history: ReturnHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
  items: Array<{ position: number; sku: string; name: string; quantity: number }>;
  photos: ReturnPhotoRecord[];
}

const include = { items: { orderBy: { position: "asc" } }, photos: { orderBy: { position: "asc" } } } as const;
type Row = Prisma.ReturnRequestGetPayload<{ include: typeof include }>;

const toRecord = (row: Row): ReturnRequestRecord => ({
  id: row.id,
  orderId: row.orderId,
  chatId: row.chatId,
  status: row.status as ReturnStatus,
  reason: row.reason,
  comment: row.comment,
  resolution: row.resolution as ReturnResolution,
  exchangeFor: row.exchangeFor,
  language: row.language,
  history: (row.history ?? []) as unknown as ReturnHistoryEntry[],
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  items: row.items.map(({ position, sku, name, quantity }) => ({ position, sku, name, quantity })),
  photos: row.photos.map(({ id, position, fileId, fileUniqueId, width, height, fileSize, storedPath }) => ({
    id,
    position,
    fileId,
    fileUniqueId,
    width,
    height,
    fileSize,
    storedPath,
  })),
});

export async function findReturnRequest(tx: DbOrTx, id: string): Promise<ReturnRequestRecord | null> {
  const row = await tx.returnRequest.findUnique({ where: { id }, include });
  return row ? toRecord(row) : null;
}

/** An order's requests, oldest first. */
export async function findReturnRequestsForOrder(tx: DbOrTx, orderId: string): Promise<ReturnRequestRecord[]> {
  const rows = await tx.returnRequest.findMany({ where: { orderId }, include, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(toRecord);
}

export interface ReturnListFilter {
  status?: ReturnStatus;
  orderId?: string;
  /** Created at or after. */
  since?: Date;
  limit: number;
}

/** Newest first. */
export async function listReturnRequests(tx: DbOrTx, filter: ReturnListFilter): Promise<ReturnRequestRecord[]> {
  const rows = await tx.returnRequest.findMany({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.orderId ? { orderId: filter.orderId } : {}),
      ...(filter.since ? { createdAt: { gte: filter.since } } : {}),
    },
    include,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit,
  });
  return rows.map(toRecord);
}

export type NewReturnRequest = Omit<ReturnRequestRecord, "status" | "history" | "updatedAt" | "photos"> & {
  photos: Array<Omit<ReturnPhotoRecord, "storedPath">>;
};

export async function insertReturnRequest(tx: DbOrTx, request: NewReturnRequest): Promise<void> {
  await tx.returnRequest.create({
    data: {
      id: request.id,
      orderId: request.orderId,
      chatId: request.chatId,
      reason: request.reason,
      comment: request.comment,
      resolution: request.resolution,
      exchangeFor: request.exchangeFor,
      language: request.language,
      createdAt: request.createdAt,
      items: { create: request.items.map((item) => ({ id: `${request.id}:${item.position}`, ...item })) },
      photos: { create: request.photos.map((photo) => ({ ...photo, createdAt: request.createdAt })) },
    },
  });
}

/** Moves a request on only if it is still at `from` (two shop calls racing cannot both win). */
export async function saveReturnStatus(
  tx: DbOrTx,
  id: string,
  from: ReturnStatus,
  to: ReturnStatus,
  history: ReturnHistoryEntry[],
): Promise<"saved" | "conflict"> {
  const updated = await tx.returnRequest.updateMany({
    where: { id, status: from },
    data: { status: to, history: history as unknown as Prisma.InputJsonArray },
  });
  return updated.count === 1 ? "saved" : "conflict";
}

export async function setReturnPhotoStoredPath(tx: DbOrTx, photoId: string, storedPath: string): Promise<void> {
  await tx.returnPhoto.update({ where: { id: photoId }, data: { storedPath } });
}
