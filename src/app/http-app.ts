import { createAdaptorServer } from "@hono/node-server";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Hono, type Handler } from "hono";
import type { AddressInfo } from "node:net";
import { bearerTokenAuth } from "../api/bearer-token-auth.js";

export interface HttpAppParts {
  /** Shop API, mounted at /api/v1. */
  api: OpenAPIHono;
  /** Liveness and readiness: answers 200 only when the database answers. */
  health: () => Promise<Record<string, string>>;
  /**
   * GET /metrics for Prometheus, behind a bearer token like the API's (README, "Metrics"). The
   * scrape rejects when the database does not answer: then 503, and Prometheus records the target down.
   */
  metrics?: { token: string; tokenName: string; scrape(): Promise<{ contentType: string; body: string }> };
  /** Telegram's webhook handler when running in webhook mode. */
  telegramWebhook?: { path: string; handler: Handler };
  /** Extra sub-apps (the sandbox), mounted at their prefix. */
  mounts?: Array<{ prefix: string; app: Hono }>;
}

export function createHttpApp(parts: HttpAppParts): Hono {
  const app = new Hono();
  app.get("/healthz", async (c) => {
    try {
      return c.json({ status: "ok", ...(await parts.health()) });
    } catch (error) {
      return c.json({ status: "unavailable", reason: String(error) }, 503);
    }
  });
  app.route("/api/v1", parts.api);
  const { metrics } = parts;
  if (metrics) {
    app.get("/metrics", bearerTokenAuth(metrics.token, metrics.tokenName), async (c) => {
      try {
        const { contentType, body } = await metrics.scrape();
        return c.body(body, 200, { "content-type": contentType });
      } catch (error) {
        return c.text(`metrics unavailable: ${String(error)}\n`, 503);
      }
    });
  }
  if (parts.telegramWebhook) app.post(parts.telegramWebhook.path, parts.telegramWebhook.handler);
  for (const mount of parts.mounts ?? []) app.route(mount.prefix, mount.app);
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `No route ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** How long a stop lets requests in hand finish before their connections are cut. */
const closeGraceMs = 10_000;

export function listen(app: Hono, options: { port: number; host: string }): Promise<RunningHttpServer> {
  const server = createAdaptorServer({ fetch: app.fetch });
  // Keep idle connections longer than clients and load balancers do (Node's 5 s is shorter than
  // many): otherwise a client reusing a connection the moment the server drops it gets
  // ECONNRESET (the benchmark's shop saw it under load).
  if ("keepAliveTimeout" in server) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`${options.host}:${options.port} is already in use: stop what runs there or set PORT to another port`)
          : error,
      );
    });
    // A backlog for bursts (Node's default is 511): a shop's system may open many connections at once.
    server.listen(options.port, options.host, 4096, () => {
      const info = server.address() as AddressInfo;
      const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            // Keep-alive connections would hold close() open until they time out (65 s): drop each
            // one as soon as its request in hand is answered, and any left after a grace period.
            const closable = "closeIdleConnections" in server ? server : null;
            const sweep = setInterval(() => closable?.closeIdleConnections(), 50);
            const cutOff = setTimeout(() => closable?.closeAllConnections(), closeGraceMs);
            server.close(() => {
              clearInterval(sweep);
              clearTimeout(cutOff);
              done();
            });
            closable?.closeIdleConnections();
          }),
      });
    });
  });
}
