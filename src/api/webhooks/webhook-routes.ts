import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { apiId } from "../api-text.js";
import { listOutbox, retryOutboxMessage, type OutboxView } from "../../outbox/outbox-queries.js";
import type { ServiceDependencies } from "../../services/service-dependencies.js";
import { apiError } from "../api-error.js";
import { apiErrorSchema } from "../orders/order-schemas.js";

/**
 * The webhooks ordergram owes the shop, as the outbox holds them: a shop whose endpoint was down
 * sees what is still pending or has failed, and why, and can send a failed one again.
 */
const deliverySchema = z
  .object({
    id: z.string().openapi({ description: "Also sent as X-Ordergram-Delivery." }),
    event: z.string().nullable().openapi({ example: "order.confirmed" }),
    status: z.enum(["pending", "sending", "sent", "skipped", "failed"]),
    orderId: z.string().nullable(),
    attempts: z.int(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi("WebhookDelivery");

const view = (row: OutboxView) => ({
  id: row.id,
  event: row.kind,
  status: row.status,
  orderId: row.orderId,
  attempts: row.attempts,
  lastError: row.lastError,
  nextAttemptAt: row.nextAttemptAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });

const listRoute = createRoute({
  method: "get",
  path: "/webhooks",
  summary: "Webhook deliveries, newest first",
  description: "Filter by status (failed: given up after the retry budget; pending with attempts > 0: still being retried) or by order.",
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      status: z.enum(["pending", "sending", "sent", "skipped", "failed"]).optional(),
      orderId: apiId().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: json(z.object({ deliveries: z.array(deliverySchema) }), "The deliveries."),
    400: json(apiErrorSchema, "Invalid filter."),
    401: json(apiErrorSchema, "Missing or wrong API token."),
  },
});

const retryRoute = createRoute({
  method: "post",
  path: "/webhooks/{id}/retry",
  summary: "Send a failed webhook again",
  security: [{ bearer: [] }],
  request: { params: z.object({ id: apiId() }) },
  responses: {
    202: json(z.object({ id: z.string(), status: z.literal("pending") }), "Queued again, with a fresh retry budget."),
    404: json(apiErrorSchema, "No such delivery."),
    409: json(apiErrorSchema, "The delivery has not failed."),
    401: json(apiErrorSchema, "Missing or wrong API token."),
  },
});

export function webhookRoutes(api: OpenAPIHono, deps: ServiceDependencies): void {
  api.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const rows = await listOutbox(deps.db, {
      channel: "webhook",
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.orderId ? { orderId: query.orderId } : {}),
    });
    return c.json({ deliveries: rows.map(view) }, 200);
  });

  api.openapi(retryRoute, async (c) => {
    const { id } = c.req.valid("param");
    const row = (await deps.db.outboxMessage.findUnique({ where: { id }, select: { channel: true } })) ?? null;
    if (!row || row.channel !== "webhook") return c.json(apiError("NOT_FOUND", "No webhook delivery with this id."), 404);
    const result = await retryOutboxMessage(deps.db, id, deps.clock.now());
    switch (result.type) {
      case "requeued":
        deps.outbox.kick();
        return c.json({ id, status: "pending" as const }, 202);
      case "not-found":
        return c.json(apiError("NOT_FOUND", "No webhook delivery with this id."), 404);
      case "not-failed":
        return c.json(apiError("NOT_FAILED", `The delivery is ${result.status}; only a failed one can be retried.`), 409);
    }
  });
}
