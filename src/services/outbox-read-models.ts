import { findFollowUpState, type FollowUpState } from "../db/follow-up-repository.js";
import { findOrder, type OrderRecord } from "../db/order-repository.js";
import { findReturnRequest, type ReturnRequestRecord } from "../db/return-request-repository.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/*
 * What the outbox's senders (src/flows/*) read when an automatic message's time has come: the
 * state as it is then, through the services, so a sender never queries the database itself.
 */

type Reader = Pick<ServiceDependencies, "db">;

export { readOrder } from "./order-read-model.js";

/** What a notification decides on: the order and its follow-up state (tracking, owner, reach). */
export async function readNotificationState(deps: Reader, orderId: string): Promise<{ record: OrderRecord; state: FollowUpState } | null> {
  const [record, state] = await Promise.all([findOrder(deps.db, orderId), findFollowUpState(deps.db, orderId)]);
  return record && state ? { record, state } : null;
}

/** Whether the customer rated the order already (then a notification does not ask again). */
export async function isOrderRated(deps: Reader, orderId: string): Promise<boolean> {
  return (await deps.db.orderRating.findUnique({ where: { orderId }, select: { orderId: true } })) !== null;
}

/** A return request with its order (null: the order no longer exists), or null when the request does not. */
export async function readReturnRequest(
  deps: Reader,
  returnId: string,
): Promise<{ request: ReturnRequestRecord; record: OrderRecord | null } | null> {
  const request = await findReturnRequest(deps.db, returnId);
  return request ? { request, record: await findOrder(deps.db, request.orderId) } : null;
}
