import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { apiId } from "../api-text.js";
import { findOrder } from "../../db/order-repository.js";
import { findReturnRequest, listReturnRequests, type ReturnRequestRecord } from "../../db/return-request-repository.js";
import { returnStatuses } from "../../domain/return-request.js";
import { readReturnPhoto, type TelegramFileSource } from "../../services/returns/return-photos.js";
import { returnRequestView } from "../../services/returns/return-view.js";
import { updateReturnStatus } from "../../services/returns/update-return-status.js";
import type { ServiceDependencies } from "../../services/service-dependencies.js";
import { apiError } from "../api-error.js";
import { apiErrorSchema } from "../orders/order-schemas.js";
import { returnRequestSchema, returnStatusInputSchema } from "./return-schemas.js";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const idParam = apiId();

const listRoute = createRoute({
  method: "get",
  path: "/returns",
  summary: "Return requests, newest first",
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      status: z.enum(returnStatuses).optional(),
      orderId: apiId().optional(),
      since: z.iso.datetime({ offset: true }).optional().openapi({ description: "Only requests made at or after this instant." }),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: json(z.object({ returns: z.array(returnRequestSchema) }), "The requests."),
    400: json(apiErrorSchema, "Invalid filter."),
    401: json(apiErrorSchema, "Missing or wrong API token."),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/returns/{id}",
  summary: "One return request",
  security: [{ bearer: [] }],
  request: { params: z.object({ id: idParam }) },
  responses: {
    200: json(returnRequestSchema, "The request."),
    401: json(apiErrorSchema, "Missing or wrong API token."),
    404: json(apiErrorSchema, "No such request."),
  },
});

const statusRoute = createRoute({
  method: "post",
  path: "/returns/{id}/status",
  summary: "Move a return request on",
  description:
    "requested → approved (with instructions) or rejected (with a reason); approved → received, refunded, exchanged, credited or " +
    "rejected; received → refunded, exchanged, credited or rejected. Each change is one message to the customer in their language " +
    "(within contact hours). Repeating the current status changes nothing and sends nothing.",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ id: idParam }),
    body: { content: { "application/json": { schema: returnStatusInputSchema } }, required: true },
  },
  responses: {
    200: json(
      returnRequestSchema.extend({ changed: z.boolean() }),
      "The request as it now stands; changed: false when it already had this status.",
    ),
    400: json(apiErrorSchema, "Invalid request: every bad field is listed with its path."),
    401: json(apiErrorSchema, "Missing or wrong API token."),
    404: json(apiErrorSchema, "No such request."),
    409: json(apiErrorSchema, "The request cannot move to this status from where it is (the message says from where it can)."),
  },
});

const photoRoute = createRoute({
  method: "get",
  path: "/returns/{id}/photos/{photoId}",
  summary: "Download a photo of a return request",
  description: "The kept copy, or fetched from Telegram when it is not kept.",
  security: [{ bearer: [] }],
  request: { params: z.object({ id: idParam, photoId: idParam }) },
  responses: {
    200: {
      content: {
        "image/jpeg": { schema: z.string().openapi({ format: "binary" }) },
        "image/png": { schema: z.string().openapi({ format: "binary" }) },
      },
      description: "The photo.",
    },
    401: json(apiErrorSchema, "Missing or wrong API token."),
    404: json(apiErrorSchema, "No such request or photo."),
    502: json(apiErrorSchema, "Telegram did not give the file now; try again later."),
  },
});

/** /api/v1/returns: the shop's side of return requests. */
export function returnRoutes(api: OpenAPIHono, deps: ServiceDependencies, files: TelegramFileSource | null): void {
  const view = async (request: ReturnRequestRecord, requestUrl: string) => {
    const order = await findOrder(deps.db, request.orderId);
    // Links as the caller reached us, unless the owner configured the address the shop uses.
    const baseUrl = deps.config().returns.photos.baseUrl ?? new URL(requestUrl).origin;
    return returnRequestView(request, { orderExternalId: order?.order.externalId ?? "", baseUrl });
  };

  api.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const requests = await listReturnRequests(deps.db, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.orderId ? { orderId: query.orderId } : {}),
      ...(query.since ? { since: new Date(query.since) } : {}),
    });
    return c.json({ returns: await Promise.all(requests.map((r) => view(r, c.req.url))) }, 200);
  });

  api.openapi(getRoute, async (c) => {
    const request = await findReturnRequest(deps.db, c.req.valid("param").id);
    if (!request) return c.json(apiError("NOT_FOUND", "No return request with this id."), 404);
    return c.json(await view(request, c.req.url), 200);
  });

  api.openapi(statusRoute, async (c) => {
    const { status, ...details } = c.req.valid("json");
    const result = await updateReturnStatus(deps, { returnId: c.req.valid("param").id, status, details });
    switch (result.type) {
      case "not_found":
        return c.json(apiError("NOT_FOUND", "No return request with this id."), 404);
      case "not_allowed":
        return c.json(
          apiError(
            "RETURN_STATUS_NOT_ALLOWED",
            `The request is ${result.from}; from there it can become: ${result.allowed.join(", ") || "nothing (it is closed)"}.`,
          ),
          409,
        );
      case "unchanged":
      case "updated":
        return c.json({ ...(await view(result.request, c.req.url)), changed: result.type === "updated" }, 200);
    }
  });

  api.openapi(photoRoute, async (c) => {
    const { id, photoId } = c.req.valid("param");
    const photo = await readReturnPhoto(deps, files, { returnId: id, photoId });
    switch (photo.type) {
      case "not_found":
        return c.json(apiError("NOT_FOUND", "No such return request or photo."), 404);
      case "unavailable":
        deps.logger.warn({ returnId: id, photoId, detail: photo.detail }, "a return photo could not be fetched from Telegram");
        return c.json(apiError("PHOTO_UNAVAILABLE", "Telegram did not give the file now; try again later."), 502);
      case "ok":
        return c.body(Buffer.from(photo.bytes), 200, {
          "content-type": photo.contentType,
          "content-length": String(photo.bytes.byteLength),
        });
    }
  });
}
