import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listOrderEvents } from "../../db/order-event-repository.js";
import { findOrder, findOrderByExternalId } from "../../db/order-repository.js";
import { dateHorizonProblems } from "../../domain/date-horizon.js";
import { parsePhone } from "../../domain/phone.js";
import { orderView, startLink } from "../../services/order-view.js";
import { receiveOrder } from "../../services/receive-order.js";
import { startLinkQrPng, startLinkQrSvg } from "../../services/start-link-qr.js";
import type { ServiceDependencies } from "../../services/service-dependencies.js";
import { apiError } from "../api-error.js";
import { apiId } from "../api-text.js";
import { apiErrorSchema, orderIdParams, orderInputSchema, orderLinesFrom, orderViewSchema, phoneProblem } from "./order-schemas.js";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = {
  400: json(apiErrorSchema, "Invalid request: every bad field is listed with its path."),
  401: json(apiErrorSchema, "Missing or wrong API token."),
};

const createOrderRoute = createRoute({
  method: "post",
  path: "/orders",
  summary: "Create or update an order",
  description:
    "Idempotent on externalId: the same request again returns the same order and sends nothing. A changed payload for an order the " +
    "customer has not confirmed yet replaces it and shows the customer the new read-back.",
  security: [{ bearer: [] }],
  request: { body: { content: { "application/json": { schema: orderInputSchema } }, required: true } },
  responses: {
    201: json(orderViewSchema, "The order was created."),
    200: json(orderViewSchema, "The order existed: unchanged (a retry) or updated."),
    409: json(apiErrorSchema.extend({ order: orderViewSchema }), "The order is confirmed or cancelled already and cannot be replaced."),
    ...errors,
  },
});

const getOrderRoute = createRoute({
  method: "get",
  path: "/orders/{id}",
  summary: "An order with its dialog state and history",
  security: [{ bearer: [] }],
  request: { params: orderIdParams },
  responses: { 200: json(orderViewSchema, "The order."), 404: json(apiErrorSchema, "No such order."), ...errors },
});

const findOrderRoute = createRoute({
  method: "get",
  path: "/orders",
  summary: "Find an order by the shop's own id",
  security: [{ bearer: [] }],
  request: { query: z.object({ externalId: apiId() }) },
  responses: { 200: json(orderViewSchema, "The order."), 404: json(apiErrorSchema, "No such order."), ...errors },
});

const startQrRoute = createRoute({
  method: "get",
  path: "/orders/{id}/start-qr",
  summary: "The order's start link as a QR code",
  description:
    "A QR code of the t.me start link, for the shop to print on the order page, a receipt or an e-mail: the customer scans it and the " +
    "bot opens this order. PNG by default, SVG with `format=svg`.",
  security: [{ bearer: [] }],
  request: {
    params: orderIdParams,
    query: z.object({ format: z.enum(["png", "svg"]).default("png") }),
  },
  responses: {
    200: {
      content: { "image/png": { schema: z.string().openapi({ format: "binary" }) }, "image/svg+xml": { schema: z.string() } },
      description: "The QR code.",
    },
    404: json(apiErrorSchema, "No such order."),
    409: json(apiErrorSchema, "The order has no start link."),
    ...errors,
  },
});

export function orderRoutes(api: OpenAPIHono, deps: ServiceDependencies): void {
  api.openapi(createOrderRoute, async (c) => {
    const input = c.req.valid("json");
    const phone = input.customer.phone ? parsePhone(input.customer.phone, deps.config().shop.country) : null;
    const problems = [
      ...(input.customer.phone && phone === null ? [{ path: "customer.phone", message: phoneProblem }] : []),
      ...pointProblems(input.delivery, deps.config().delivery.pickup.points),
      ...dateHorizonProblems([{ path: "delivery.date", date: input.delivery?.date }], deps.clock.now(), deps.config().shop.timeZone),
    ];
    if (problems.length > 0) return c.json(apiError("VALIDATION_FAILED", "The request has invalid fields.", problems), 400);
    const { lines, deliveryPriceMinor } = orderLinesFrom(input);
    const result = await receiveOrder(deps, {
      externalId: input.externalId,
      customer: {
        name: input.customer.name,
        phone,
        telegramUserId: input.customer.telegramUserId === undefined ? null : BigInt(input.customer.telegramUserId),
        language: input.customer.language ?? null,
      },
      currency: input.currency,
      items: lines,
      delivery: input.delivery
        ? {
            method: input.delivery.method ?? null,
            address: input.delivery.address ?? null,
            date: input.delivery.date ?? null,
            window: input.delivery.window ?? null,
            pointId: input.delivery.pointId ?? null,
            ...(deliveryPriceMinor !== null ? { priceMinor: deliveryPriceMinor, priceFromShop: true } : {}),
            ...(input.delivery.fixed ? { fixed: true } : {}),
          }
        : null,
      comment: input.comment || null,
    });
    const view = orderView(result.record, deps.botUsername);
    switch (result.type) {
      case "created":
        return c.json(view, 201);
      case "unchanged":
      case "updated":
        return c.json(view, 200);
      case "final":
        return c.json(
          { ...apiError("ORDER_FINAL", `Order ${input.externalId} is ${view.state} and can no longer be replaced.`), order: view },
          409,
        );
    }
  });

  api.openapi(getOrderRoute, async (c) => {
    const record = await findOrder(deps.db, c.req.valid("param").id);
    if (!record) return c.json(apiError("NOT_FOUND", "No order with this id."), 404);
    return c.json(orderView(record, deps.botUsername, await listOrderEvents(deps.db, record.order.id)), 200);
  });

  api.openapi(startQrRoute, async (c) => {
    const record = await findOrder(deps.db, c.req.valid("param").id);
    if (!record) return c.json(apiError("NOT_FOUND", "No order with this id."), 404);
    if (!record.startToken) return c.json(apiError("NO_START_LINK", "This order has no start link."), 409);
    const link = startLink(deps.botUsername, record.startToken);
    if (c.req.valid("query").format === "svg")
      return c.body(await startLinkQrSvg(link), 200, { "content-type": "image/svg+xml; charset=utf-8" });
    return c.body(new Uint8Array(await startLinkQrPng(link)), 200, { "content-type": "image/png" });
  });

  api.openapi(findOrderRoute, async (c) => {
    const record = await findOrderByExternalId(deps.db, c.req.valid("query").externalId);
    if (!record) return c.json(apiError("NOT_FOUND", "No order with this externalId."), 404);
    return c.json(orderView(record, deps.botUsername, await listOrderEvents(deps.db, record.order.id)), 200);
  });
}

/** A pickup point must be one of the config in force now, and only for pickup. */
function pointProblems(
  delivery: { method?: string; pointId?: string } | undefined,
  points: ReadonlyArray<{ id: string }>,
): Array<{ path: string; message: string }> {
  if (delivery?.pointId === undefined) return [];
  if (delivery.method !== undefined && delivery.method !== "pickup")
    return [{ path: "delivery.pointId", message: "a pickup point goes only with method pickup" }];
  if (!points.some((p) => p.id === delivery.pointId))
    return [{ path: "delivery.pointId", message: "not a pickup point of the shop's config" }];
  return [];
}
