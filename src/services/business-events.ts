import type { AppendedOrderEvent } from "../db/committed-order-events.js";
import { findExternalIds } from "../db/order-repository.js";
import type { ServiceDependencies } from "./service-dependencies.js";

/**
 * The moments of an order a shop follows in its logs, each one line with a stable `event` field,
 * `orderId` and the shop's own `externalId`: `grep '"externalId":"A-1042"'` shows one order's way.
 */
export const businessEvents = [
  "order.received",
  "order.read_back",
  "order.confirmed",
  "order.cancelled",
  "order.status_sent",
  "order.escalated",
  "order.webhook_failed",
] as const;

export type BusinessEvent = (typeof businessEvents)[number];

/** The log line's message beside the `event` field, for a person reading the log. */
const messages: Record<BusinessEvent, string> = {
  "order.received": "order received",
  "order.read_back": "order read back to the customer",
  "order.confirmed": "order confirmed by the customer",
  "order.cancelled": "order cancelled",
  "order.status_sent": "delivery status sent to the customer",
  "order.escalated": "order handed to a person",
  "order.webhook_failed": "webhook to the shop failed",
};

export interface BusinessEventLine {
  event: BusinessEvent;
  /** What else a reader needs about this event (why it was cancelled, which status...). */
  details: Record<string, unknown>;
}

const field = (data: unknown, name: string): unknown =>
  typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)[name] : undefined;

/** Which business event an entry of an order's history is, if it is one. */
export function businessEventOf(entry: { type: string; data: unknown }): BusinessEventLine | null {
  switch (entry.type) {
    case "order.created":
      return { event: "order.received", details: {} };
    case "message.sent": {
      const what = field(entry.data, "what");
      // The read-back, first sent or sent again (after a form, after linking); a nudge is not one.
      return typeof what === "string" && what.startsWith("order.read_back") ? { event: "order.read_back", details: { what } } : null;
    }
    case "customer.confirmed":
      return { event: "order.confirmed", details: { by: "customer" } };
    case "manager.confirmed":
      return { event: "order.confirmed", details: { by: "manager", manager: field(entry.data, "manager") } };
    case "customer.cancelled":
      return { event: "order.cancelled", details: { by: "customer", reason: field(entry.data, "reason") } };
    case "manager.cancelled":
      return {
        event: "order.cancelled",
        details: { by: "manager", reason: field(entry.data, "reason"), manager: field(entry.data, "manager") },
      };
    case "order.auto_cancelled":
      return { event: "order.cancelled", details: { by: "system", afterHours: field(entry.data, "afterHours") } };
    case "notification.sent":
      return field(entry.data, "kind") === "notify.status"
        ? { event: "order.status_sent", details: { status: field(entry.data, "status") } }
        : null;
    case "customer.human_requested":
      return { event: "order.escalated", details: { reason: "customer_request" } };
    case "order.escalated":
      return { event: "order.escalated", details: { reason: field(entry.data, "reason") } };
    default:
      return null;
  }
}

/** How many orders' shop ids are remembered: an order's id never changes its shop id, so a hit is always right. */
const rememberedExternalIds = 5_000;

export interface BusinessEventLog {
  /** Logs and counts the business events among committed order events (the listener of src/db/committed-order-events.ts). */
  ordersChanged(events: AppendedOrderEvent[]): Promise<void>;
  /** A webhook to the shop failed: logged, with the order, when it is about one. */
  webhookFailed(failure: {
    outboxId: string;
    orderId: string | null;
    webhook: string | null;
    attempt: number;
    final: boolean;
    error: string;
  }): Promise<void>;
}

/**
 * Writes the business event lines. It runs after the commit of what it reports, so it never
 * fails the use case: a lookup that fails is logged and the line goes out without the shop's id.
 */
export function createBusinessEventLog(deps: Pick<ServiceDependencies, "db" | "logger" | "metrics">): BusinessEventLog {
  const logger = deps.logger.child({ component: "business" });
  const externalIds = new Map<string, string>();

  async function externalIdsOf(orderIds: string[]): Promise<Map<string, string>> {
    const missing = [...new Set(orderIds)].filter((id) => !externalIds.has(id));
    if (missing.length > 0) {
      try {
        for (const [id, externalId] of await findExternalIds(deps.db, missing)) {
          if (externalIds.size >= rememberedExternalIds) externalIds.delete(externalIds.keys().next().value!);
          externalIds.set(id, externalId);
        }
      } catch (error) {
        logger.error({ err: error }, "could not read the shop's order ids for the business event log");
      }
    }
    return externalIds;
  }

  function write(line: BusinessEventLine, orderId: string | null, externalId: string | null, level: "info" | "warn" = "info") {
    deps.metrics.businessEvent(line.event);
    logger[level]({ event: line.event, orderId, externalId, ...line.details }, messages[line.event]);
  }

  return {
    async ordersChanged(events) {
      const lines = events.flatMap((entry) => {
        const line = businessEventOf(entry);
        return line ? [{ line, orderId: entry.orderId }] : [];
      });
      if (lines.length === 0) return;
      const ids = await externalIdsOf(lines.map(({ orderId }) => orderId));
      for (const { line, orderId } of lines) write(line, orderId, ids.get(orderId) ?? null);
    },
    async webhookFailed(failure) {
      deps.metrics.webhookFailed(failure.final);
      const externalId = failure.orderId ? ((await externalIdsOf([failure.orderId])).get(failure.orderId) ?? null) : null;
      const { outboxId, webhook, attempt, final, error } = failure;
      write({ event: "order.webhook_failed", details: { outboxId, webhook, attempt, final, error } }, failure.orderId, externalId, "warn");
    },
  };
}
