import { appendOrderEvents } from "../db/order-event-repository.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/** A notification went out: the order's history says what and when (visible in the API), and which status it told. */
export async function recordNotificationSent(
  deps: ServiceDependencies,
  orderId: string,
  kind: string,
  messageId: number,
  details: { status?: string } = {},
): Promise<void> {
  await appendOrderEvents(deps.db, orderId, deps.clock.now(), "bot", [
    { type: "notification.sent", data: { kind, messageId, ...details } },
  ]);
}
