import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { apiText } from "../api-text.js";
import type { ServiceDependencies } from "../../services/service-dependencies.js";
import { updateStock } from "../../services/update-stock.js";
import { apiErrorSchema } from "../orders/order-schemas.js";

const stockInputSchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ sku: apiText(64), available: z.int().min(0).max(1_000_000) }))
      .min(1)
      .max(10_000),
  })
  .openapi("StockUpdate");

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });

const putStockRoute = createRoute({
  method: "put",
  path: "/stock",
  summary: "Tell ordergram what is in stock",
  description:
    "Sets the available quantity per SKU. Open orders take it at once; a customer whose item ran out is asked what to do (a substitute, " +
    "the part in stock, removing it) before confirming, and stock is checked again at the moment of Confirm.",
  security: [{ bearer: [] }],
  request: { body: { content: { "application/json": { schema: stockInputSchema } }, required: true } },
  responses: {
    200: json(z.object({ skus: z.int(), openOrdersAffected: z.array(z.string()) }), "Stored."),
    400: json(apiErrorSchema, "Invalid request: every bad field is listed with its path."),
    401: json(apiErrorSchema, "Missing or wrong API token."),
  },
});

export function stockRoutes(api: OpenAPIHono, deps: ServiceDependencies): void {
  api.openapi(putStockRoute, async (c) => c.json(await updateStock(deps, c.req.valid("json").items), 200));
}
