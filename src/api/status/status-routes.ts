import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { apiText, apiUrl } from "../api-text.js";
import { localDate } from "../../domain/contact-hours.js";
import { dateHorizonProblems } from "../../domain/date-horizon.js";
import { deliveryFailureReasons } from "../../domain/delivery-remedies.js";
import { deliveryStatuses } from "../../services/notification-intents.js";
import type { ServiceDependencies } from "../../services/service-dependencies.js";
import { updateDeliveryStatus } from "../../services/update-delivery-status.js";
import { apiError } from "../api-error.js";
import { apiErrorSchema, orderIdParams } from "../orders/order-schemas.js";

const text = (max: number) => apiText(max);

export const statusInputSchema = z
  .strictObject({
    status: z.enum(deliveryStatuses).openapi({ description: "Where the parcel is now." }),
    trackingNumber: text(64).optional(),
    carrier: text(64).optional(),
    trackingUrl: apiUrl(500).optional(),
    expectedDate: z.iso
      .date()
      .optional()
      .openapi({
        description:
          "Expected delivery date (shop's time zone). Later than the date promised to the customer: told as a move before the promise " +
          "was due, else the bot apologises and a manager is told.",
        example: "2026-12-04",
      }),
    pickup: z
      .strictObject({
        point: text(100).optional(),
        address: text(300).optional(),
        hours: text(100).optional().openapi({ example: "Mon-Fri 10:00-20:00, Sat 10:00-16:00" }),
        storageUntil: z.iso
          .datetime({ offset: true })
          .optional()
          .openapi({ description: "Until when the point keeps the parcel; the customer is reminded before." }),
      })
      .optional()
      .openapi({ description: "For ready_for_pickup: where, when open, and until when." }),
    failureReason: z.enum(deliveryFailureReasons).optional().openapi({
      description:
        "For delivery_failed: why. The customer is offered what fits (another day, a pickup point, a corrected address, cancelling).",
    }),
    correction: z
      .boolean()
      .optional()
      .openapi({
        description:
          "true: the status corrects one reported by mistake, so a step back (or away from delivered) is recorded. The customer is never " +
          "told a status twice.",
      }),
  })
  .openapi("DeliveryStatusInput");

const statusResultSchema = z
  .object({
    orderId: z.string(),
    status: z.enum(deliveryStatuses),
    /** Numbers the order's status changes: 1 for the first. */
    seq: z.int(),
    changed: z.boolean().openapi({ description: "false: the order already had this status; nothing was sent again." }),
    messaged: z.boolean().openapi({
      description: "A message to the customer was queued (false when they are not in Telegram, unreachable, or a manager has the chat).",
    }),
  })
  .openapi("DeliveryStatusResult");

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });

const postStatusRoute = createRoute({
  method: "post",
  path: "/orders/{id}/status",
  summary: "Report where an order's parcel is",
  description:
    "Each new status becomes one message to the customer in their language (within contact hours). Idempotent: repeating the current " +
    "status sends nothing again; tracking details given with it are kept.",
  security: [{ bearer: [] }],
  request: {
    params: orderIdParams,
    body: { content: { "application/json": { schema: statusInputSchema } }, required: true },
  },
  responses: {
    200: json(statusResultSchema, "The status was recorded (changed: true) or was already the current one (changed: false)."),
    400: json(apiErrorSchema, "Invalid request: every bad field is listed with its path."),
    401: json(apiErrorSchema, "Missing or wrong API token."),
    404: json(apiErrorSchema, "No such order."),
    409: json(
      apiErrorSchema.extend({
        from: z.enum(deliveryStatuses).optional(),
        to: z.enum(deliveryStatuses).optional(),
        allowed: z.array(z.enum(deliveryStatuses)).optional(),
      }),
      "The order is cancelled (ORDER_CANCELLED), not confirmed by the customer (ORDER_NOT_CONFIRMED), or the status would be a step back " +
        "(STATUS_TRANSITION_REFUSED: from, to and the allowed statuses; send correction: true to correct a mistake).",
    ),
  },
});

/** POST /api/v1/orders/{id}/status: the shop's delivery status updates. */
export function statusRoutes(api: OpenAPIHono, deps: ServiceDependencies): void {
  api.openapi(postStatusRoute, async (c) => {
    const orderId = c.req.valid("param").id;
    const input = c.req.valid("json");
    const storageUntil = input.pickup?.storageUntil;
    const timeZone = deps.config().shop.timeZone;
    const problems = dateHorizonProblems(
      [
        { path: "expectedDate", date: input.expectedDate },
        { path: "pickup.storageUntil", date: storageUntil === undefined ? undefined : localDate(new Date(storageUntil), timeZone) },
      ],
      deps.clock.now(),
      timeZone,
    );
    if (problems.length > 0) return c.json(apiError("VALIDATION_FAILED", "The request has invalid fields.", problems), 400);
    const result = await updateDeliveryStatus(deps, {
      orderId,
      status: input.status,
      ...(input.trackingNumber ? { trackingNumber: input.trackingNumber } : {}),
      ...(input.carrier ? { carrier: input.carrier } : {}),
      ...(input.trackingUrl ? { trackingUrl: input.trackingUrl } : {}),
      ...(input.expectedDate ? { expectedDate: input.expectedDate } : {}),
      ...(input.pickup ? { pickup: input.pickup } : {}),
      ...(input.correction ? { correction: true } : {}),
      ...(input.failureReason ? { failureReason: input.failureReason } : {}),
    });
    switch (result.type) {
      case "not_found":
        return c.json(apiError("NOT_FOUND", "No order with this id."), 404);
      case "cancelled":
        return c.json(apiError("ORDER_CANCELLED", "The order is cancelled; its delivery status cannot change."), 409);
      case "not_confirmed":
        return c.json(apiError("ORDER_NOT_CONFIRMED", "The customer has not confirmed the order; it has no delivery status yet."), 409);
      case "refused": {
        const onward = result.allowed.length > 0 ? `it can move on to: ${result.allowed.join(", ")}` : "it is final";
        const message = `The parcel is ${result.from}; ${onward}. Send "correction": true to correct a status reported by mistake.`;
        return c.json(
          { ...apiError("STATUS_TRANSITION_REFUSED", message), from: result.from, to: result.to, allowed: result.allowed },
          409,
        );
      }
      case "unchanged":
        return c.json({ orderId, status: result.status, seq: result.seq, changed: false, messaged: false }, 200);
      case "updated":
        return c.json({ orderId, status: result.status, seq: result.seq, changed: true, messaged: result.messaged }, 200);
    }
  });
}
