import type { Tx } from "../db/transaction.js";
import type { OrderRecord } from "../db/order-repository.js";
import type { DialogEvent } from "../domain/order-dialog.js";
import { enqueueOutbox } from "../outbox/enqueue-outbox.js";
import { orderView } from "./order-view.js";
import { toJsonObject } from "../shared/json-value.js";

export type OrderWebhookEvent =
  | "order.confirmed"
  | "order.changed"
  | "order.cancelled"
  | "order.escalated"
  | "order.unreached"
  | "order.undeliverable"
  | "order.remedy_chosen";

/** Which webhook tells the shop about a dialog event (several changes in one step: one webhook). */
export function webhookEventsFor(events: DialogEvent[]): OrderWebhookEvent[] {
  const out = new Set<OrderWebhookEvent>();
  for (const event of events) {
    switch (event.type) {
      case "confirmed":
        out.add("order.confirmed");
        break;
      case "cancelled":
        out.add("order.cancelled");
        break;
      case "human_requested":
        out.add("order.escalated");
        break;
      case "quantity_changed":
      case "line_removed":
      case "address_changed":
      case "comment_changed":
      case "substitute_chosen":
      case "partial_taken":
      case "shortage_reopened":
      case "delivery_changed":
      case "slot_passed":
        out.add("order.changed");
        break;
      case "shortage_found":
      case "slot_chosen":
      case "slot_released":
        break;
    }
  }
  return [...out];
}

/**
 * Queues the shop's webhooks in the transaction of the change, with the order as it now stands.
 * The key includes the dialog version, so each change is one webhook and a retry adds none; what
 * happens without a dialog change (a timer: "unreached:2") names its `occurrence` instead.
 */
export async function enqueueOrderWebhooks(
  tx: Tx,
  record: OrderRecord,
  events: OrderWebhookEvent[],
  context: { now: Date; botUsername: string; details?: Record<string, unknown>; occurrence?: string },
): Promise<number> {
  let count = 0;
  for (const event of events) {
    const { enqueued } = await enqueueOutbox(
      tx,
      {
        channel: "webhook",
        orderId: record.order.id,
        event,
        data: toJsonObject({ order: orderView(record, context.botUsername), ...context.details }),
      },
      { idempotencyKey: `order:${record.order.id}:${event}:${context.occurrence ?? `v${record.dialog.version}`}`, now: context.now },
    );
    if (enqueued) count++;
  }
  return count;
}
