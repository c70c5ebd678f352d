import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { describeIssues } from "../shared/describe-issues.js";
import type { TelegramFileSource } from "../services/returns/return-photos.js";
import type { ServiceDependencies } from "../services/service-dependencies.js";
import { apiError } from "./api-error.js";
import { bearerTokenAuth } from "./bearer-token-auth.js";
import { writeQueue } from "./write-queue.js";
import { isDatabaseBusy } from "../db/busy-error.js";
import { orderRoutes } from "./orders/order-routes.js";
import { returnRoutes } from "./returns/return-routes.js";
import { statsRoutes } from "./stats/stats-routes.js";
import { statusRoutes } from "./status/status-routes.js";
import { stockRoutes } from "./stock/stock-routes.js";
import { registerWebhookEvents } from "./webhooks/webhook-events.js";
import { webhookRoutes } from "./webhooks/webhook-routes.js";

export interface ApiDependencies {
  apiToken: string;
  services: ServiceDependencies;
  /** Fetches return photos from Telegram when they are not kept; null: only kept copies are served. */
  telegramFiles?: TelegramFileSource;
}

/** Where the API is mounted (src/app/http-app.ts), and its OpenAPI description under it. */
const openApiPath = "/api/v1/openapi.json";

/** No order payload comes near this; a larger body is refused (413) before it is parsed. */
const maxBodyBytes = 2 * 1024 * 1024;

/**
 * The shop-facing HTTP API, mounted at /api/v1. Routes are declared with zod schemas, which both
 * validate input (400 listing every bad field) and generate the OpenAPI document.
 */
export function createApi(deps: ApiDependencies): OpenAPIHono {
  const api = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const problems = describeIssues(result.error).map(({ path, message }) => ({ path, message }));
        return c.json(apiError("VALIDATION_FAILED", "The request has invalid fields.", problems), 400);
      }
      return undefined;
    },
  });

  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "ordergram shop API",
      version: "1",
      description: "Orders in, confirmations out: how a shop's system talks to ordergram.",
    },
    servers: [{ url: "/api/v1" }],
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });

  // The OpenAPI description is public (a shop's developer reads it before having a token).
  const auth = bearerTokenAuth(deps.apiToken);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- hono types a "*" route's input as any
  api.use("*", async (c, next) => (c.req.path === openApiPath ? next() : auth(c, next)));

  api.use("*", writeQueue({ concurrent: 4, queued: 1000, maxWaitMs: 15_000 }));

  api.use(
    "*",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => c.json(apiError("PAYLOAD_TOO_LARGE", `The body is over ${maxBodyBytes} bytes.`), 413),
    }),
  );

  registerWebhookEvents(api);
  orderRoutes(api, deps.services);
  webhookRoutes(api, deps.services);
  statusRoutes(api, deps.services);
  statsRoutes(api, deps.services);
  stockRoutes(api, deps.services);
  returnRoutes(api, deps.services, deps.telegramFiles ?? null);

  api.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      // A body that is not JSON, for example.
      if (error.res) return error.getResponse();
      return c.json(apiError("BAD_REQUEST", error.message), error.status);
    }
    if (isDatabaseBusy(error)) {
      deps.services.logger.warn({ path: c.req.path }, "API request refused: the database is busy");
      c.header("Retry-After", "2");
      return c.json(apiError("BUSY", "ordergram is busy; nothing was applied. Try again in a moment."), 503);
    }
    deps.services.logger.error({ err: error, path: c.req.path }, "API request failed");
    return c.json(apiError("INTERNAL", "Something went wrong in ordergram; the request was not applied."), 500);
  });
  return api;
}
