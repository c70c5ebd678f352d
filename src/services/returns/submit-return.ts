import { appendOrderEvents } from "../../db/order-event-repository.js";
import { findOrder } from "../../db/order-repository.js";
import { findReturnRequest, insertReturnRequest, type ReturnRequestRecord } from "../../db/return-request-repository.js";
import { withTransaction } from "../../db/transaction.js";
import { isUniqueViolation } from "../../db/unique-violation.js";
import { checkSelection, returnEligibility, type ReturnResolution } from "../../domain/return-request.js";
import { reasonCode } from "../../config/returns-config.js";
import { enqueueOutbox } from "../../outbox/enqueue-outbox.js";
import { newId } from "../../shared/ids.js";
import { orderView } from "../order-view.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { notifyManagersOfReturn } from "./return-managers.js";
import { returnFacts, returnSummary, type ReturnSummary } from "./return-start.js";
import { returnRequestView } from "./return-view.js";
import { toJsonObject } from "../../shared/json-value.js";

/** A photo as Telegram described it (the largest size the customer sent). */
export interface SubmittedPhoto {
  fileId: string;
  fileUniqueId: string;
  width: number;
  height: number;
  fileSize: number | null;
}

/** What the customer filled in, read back and sent. */
export interface ReturnSubmission {
  /** Chosen by the form when it starts: sending the same form twice stores one request. */
  requestId: string;
  orderId: string;
  telegramUserId: bigint;
  language: string;
  items: Array<{ position: number; quantity: number }>;
  reason: string;
  comment: string | null;
  resolution: ReturnResolution;
  exchangeFor: string | null;
  photos: SubmittedPhoto[];
}

export type SubmitReturnResult =
  | { type: "submitted"; requestId: string; photoIds: string[] }
  | { type: "window_closed"; orderNumber: string; closedAt: string }
  /** Some of the items are in another request already (sent meanwhile, or in another chat window). */
  | { type: "already_requested"; orderNumber: string; open: ReturnSummary | null }
  /**
   * The form's answers do not fit the shop's settings (changed while it was open): nothing is
   * stored, and the form starts over at once with the settings now in force (return-form.ts).
   */
  | { type: "invalid"; problem: string }
  | { type: "not_found" }
  | { type: "not_yours" };

/** Where the shop's links to the photos point: the configured base URL, else the public one. */
export const photoBaseUrl = (deps: Pick<ServiceDependencies, "config">): string | null => {
  const config = deps.config();
  return config.returns.photos.baseUrl ?? config.telegram.publicUrl;
};

/**
 * Stores a return request the customer sent from the chat, in one transaction with its history
 * line, the shop's return.requested webhook (with download links for the photos) and the managers'
 * note. The window and the quantities are checked again here: the form may have been open a while.
 */
export async function submitReturn(deps: ServiceDependencies, input: ReturnSubmission): Promise<SubmitReturnResult> {
  try {
    return await submitOnce(deps, input);
  } catch (error) {
    // The same form sent twice at once: the loser's insert hits the request's id; run again and
    // it finds the winner's request.
    if (isUniqueViolation(error)) return submitOnce(deps, input);
    throw error;
  }
}

async function submitOnce(deps: ServiceDependencies, input: ReturnSubmission): Promise<SubmitReturnResult> {
  const now = deps.clock.now();
  const config = deps.config().returns;
  let queued = false;
  const result = await withTransaction(deps.db, async (tx): Promise<SubmitReturnResult> => {
    const record = await findOrder(tx, input.orderId);
    if (!record) return { type: "not_found" };
    if (record.chatId !== input.telegramUserId) return { type: "not_yours" };
    const orderNumber = record.order.externalId;
    const stored = async (): Promise<SubmitReturnResult | null> => {
      const existing = await findReturnRequest(tx, input.requestId);
      return existing ? { type: "submitted", requestId: existing.id, photoIds: existing.photos.map((p) => p.id) } : null;
    };
    const already = await stored();
    if (already) return already;

    const facts = await returnFacts(tx, record);
    const eligibility = returnEligibility({ ...facts, now, windowDays: config.windowDays });
    if (eligibility.type === "window_closed") return { type: "window_closed", orderNumber, closedAt: eligibility.closedAt.toISOString() };
    const openOne = (): ReturnSummary | null => {
      const open = [...facts.earlier].reverse().find((r) => r.status !== "rejected");
      return open ? returnSummary(open) : null;
    };
    // The same form sent twice at once: on PostgreSQL (read committed) the other copy may have
    // committed between the look-up above and the facts, and then counts as an earlier request.
    // Asked again, it is found: the customer's one request, stored once.
    const alreadyRequested = async (): Promise<SubmitReturnResult> =>
      (await stored()) ?? { type: "already_requested", orderNumber, open: openOne() };
    if (eligibility.type === "already_requested") return alreadyRequested();
    if (eligibility.type !== "eligible") return { type: "invalid", problem: eligibility.type };
    const selection = checkSelection(input.items, eligibility.lines);
    if (selection.type === "too_many") return alreadyRequested();
    if (selection.type === "empty") return { type: "invalid", problem: "no items" };
    if (!config.reasons.map(reasonCode).includes(input.reason)) return { type: "invalid", problem: `unknown reason ${input.reason}` };
    if (!config.resolutions.includes(input.resolution)) return { type: "invalid", problem: `resolution ${input.resolution} not offered` };
    const photosWanted = config.photos.requiredFor.includes(input.reason);
    if (photosWanted && (input.photos.length < 1 || input.photos.length > config.photos.max)) return { type: "invalid", problem: "photos" };

    const lines = new Map(record.order.items.map((line) => [line.position, line]));
    const request: ReturnRequestRecord = {
      id: input.requestId,
      orderId: record.order.id,
      chatId: input.telegramUserId,
      status: "requested",
      reason: input.reason,
      comment: input.comment,
      resolution: input.resolution,
      exchangeFor: input.resolution === "exchange" ? input.exchangeFor : null,
      language: input.language,
      history: [],
      createdAt: now,
      updatedAt: now,
      items: input.items
        .filter((item) => item.quantity > 0)
        .map((item) => ({
          position: item.position,
          sku: lines.get(item.position)!.sku,
          name: lines.get(item.position)!.name,
          quantity: item.quantity,
        })),
      photos: (photosWanted ? input.photos : []).map((photo, position) => ({ id: newId(), position, storedPath: null, ...photo })),
    };
    await insertReturnRequest(tx, request);
    await appendOrderEvents(tx, record.order.id, now, "customer", [
      {
        type: "return.requested",
        data: {
          returnId: request.id,
          items: request.items.map(({ position, quantity }) => ({ position, quantity })),
          reason: request.reason,
          resolution: request.resolution,
        },
      },
    ]);
    const view = returnRequestView(request, { orderExternalId: orderNumber, baseUrl: photoBaseUrl(deps) });
    await enqueueOutbox(
      tx,
      {
        channel: "webhook",
        orderId: record.order.id,
        event: "return.requested",
        data: toJsonObject({ order: orderView(record, deps.botUsername), returnRequest: view }),
      },
      { idempotencyKey: `return:${request.id}:requested`, now },
    );
    await notifyManagersOfReturn(tx, deps, { request, orderNumber, now });
    queued = true;
    return { type: "submitted", requestId: request.id, photoIds: request.photos.map((p) => p.id) };
  });
  if (queued) deps.outbox.kick();
  return result;
}
