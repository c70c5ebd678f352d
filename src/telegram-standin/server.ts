import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { dispatchBotApiCall } from "./dispatcher.js";
import { FloodLimiter, TELEGRAM_FLOOD_LIMITS, type FloodLimitSettings } from "./flood-limits.js";
import { readRequestParams } from "./request-body.js";
import { TelegramStandin } from "./telegram-standin.js";
import { StandinWorld } from "./world.js";

export interface StandinOptions {
  /** 0 (any free port) when omitted. */
  port?: number;
  /** Only loopback by default: the stand-in has no authentication beyond bot tokens. */
  host?: string;
  /** Off by default; true applies Telegram's numbers, an object overrides some of them. */
  floodLimits?: boolean | Partial<FloodLimitSettings>;
  /** The clock for message dates and flood limits, so tests can move time. */
  now?: () => Date;
  /** Pauses between webhook delivery attempts after a failure; the last one repeats. */
  webhookRetryDelaysMs?: number[];
}

/** Builds the HTTP face of the stand-in: `/bot<token>/<method>` and `/file/bot<token>/<path>`. */
export function createStandinApp(world: StandinWorld): Hono {
  const app = new Hono();

  app.get("/file/:botToken/*", (c) => {
    const token = c.req.param("botToken").replace(/^bot/, "");
    const prefix = `/file/bot${token}/`;
    const path = decodeURIComponent(new URL(c.req.url).pathname.slice(prefix.length));
    const bot = world.bots.get(token);
    const file = bot ? [...world.files.values()].find((candidate) => candidate.filePath === path) : undefined;
    if (!file) return c.json({ ok: false, error_code: 404, description: "Not Found" }, 404);
    return c.body(Buffer.from(file.bytes), 200, {
      "content-type": file.mimeType ?? "application/octet-stream",
      "content-length": String(file.bytes.byteLength),
    });
  });

  app.all("/:botToken/:method", async (c) => {
    const botToken = c.req.param("botToken");
    if (!botToken.startsWith("bot")) return c.json({ ok: false, error_code: 404, description: "Not Found" }, 404);
    const read = await readRequestParams(c.req.raw);
    if (!read.ok) return c.json({ ok: false, error_code: 400, description: read.description }, 400);
    const response = await dispatchBotApiCall(world, {
      token: botToken.slice("bot".length),
      method: c.req.param("method"),
      params: read.value.params,
      files: read.value.files,
      signal: c.req.raw.signal,
    });
    return c.json(response.body, response.status as 200);
  });

  app.notFound((c) => c.json({ ok: false, error_code: 404, description: "Not Found" }, 404));
  return app;
}

/** Starts a local Telegram Bot API on 127.0.0.1; point grammY's `client.apiRoot` at `url`. */
export async function startTelegramStandin(options: StandinOptions = {}): Promise<TelegramStandin> {
  const now = options.now ?? (() => new Date());
  const flood =
    options.floodLimits === undefined || options.floodLimits === false
      ? undefined
      : new FloodLimiter({ ...TELEGRAM_FLOOD_LIMITS, ...(options.floodLimits === true ? {} : options.floodLimits) }, () => now().getTime());
  const world = new StandinWorld({
    now,
    flood,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? [100, 500, 1000, 2000, 5000],
  });
  const app = createStandinApp(world);
  world.webhookReplyHandler = (bot, call) => {
    const { method, ...params } = call;
    void dispatchBotApiCall(world, {
      token: bot.token,
      method: String(method),
      params,
      files: new Map(),
      signal: new AbortController().signal,
    });
  };
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(started as Server));
    started.once("error", reject);
  });
  keepConnectionsOpen(server);
  const port = (server.address() as AddressInfo).port;
  return new TelegramStandin(world, server, `http://${host}:${port}`, port);
}

/**
 * Node closes an idle keep-alive connection after 5 s; a client reusing it at that moment gets
 * ECONNRESET, which under load (a slow event loop) happens often enough to lose API calls.
 * Telegram keeps connections far longer, and clients such as grammY keep theirs alive, so the
 * stand-in does too.
 */
export function keepConnectionsOpen(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
