import Bottleneck from "bottleneck";
import type { MiddlewareHandler } from "hono";
import { apiError } from "./api-error.js";

/**
 * The shop's writes (orders, stock, statuses...) are served a few at a time, in arrival order:
 * a burst of a thousand orders otherwise holds a thousand transactions waiting for the database's
 * few connections, and they time out together (the benchmarks saw that). A bounded queue waits in
 * memory instead; beyond it, or after waiting too long, the request is answered 503 with
 * Retry-After, which a shop's client retries (every write is idempotent).
 */
export function writeQueue(options: { concurrent: number; queued: number; maxWaitMs: number }): MiddlewareHandler {
  const limiter = new Bottleneck({ maxConcurrent: options.concurrent, highWater: options.queued, strategy: Bottleneck.strategy.OVERFLOW });
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const queuedAt = Date.now();
    let waitedTooLong = false;
    try {
      await limiter.schedule(async () => {
        if (Date.now() - queuedAt > options.maxWaitMs) {
          waitedTooLong = true;
          return;
        }
        await next();
      });
    } catch (error) {
      if (!(error instanceof Bottleneck.BottleneckError)) throw error;
      waitedTooLong = true;
    }
    if (waitedTooLong) {
      // Read the body first: answering before it is read makes Node drop the connection under
      // the client, which then sees ECONNRESET instead of this 503.
      await c.req.raw.arrayBuffer().catch(() => undefined);
      c.header("Retry-After", "2");
      return c.json(apiError("BUSY", "ordergram is busy; nothing was applied. Try again in a moment."), 503);
    }
    return undefined;
  };
}
