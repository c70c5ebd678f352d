import { randomUUID } from "node:crypto";
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import type { Logger } from "../shared/logger.js";
import { TelegramPacer, type RateLimits } from "./telegram-pacer.js";

/**
 * A sliding-window log in a sorted set, on Redis's clock: records a send when fewer than `limit`
 * happened within the window and returns 0, else returns the ms until the oldest leaves it.
 */
const reserveScript = `
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - now + 1
`;

export interface SharedPacing {
  pacer: TelegramPacer;
  /** Disconnects from Redis (after the dispatcher has stopped). */
  close(): Promise<void>;
}

/**
 * A pacer shared by every instance of ordergram that sends with the same bot through the same
 * Redis (REDIS_URL): Bottleneck's Redis clustering spaces the sends of all of them together, so
 * the configured limits hold for the bot as a whole instead of per instance.
 */
export async function createSharedPacing(options: { limits: RateLimits; redisUrl: string; botId: number; logger: Logger }): Promise<SharedPacing> {
  // Not lazyConnect: Bottleneck duplicates the client for its subscriber, options included.
  const client = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  // Fail at start-up, with the reason, when Redis cannot be reached, rather than pacing nothing.
  try {
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`REDIS_URL: cannot reach Redis for shared pacing: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const connection = new Bottleneck.IORedisConnection({ client, Redis: Redis as never });
  connection.on("error", (error: unknown) => options.logger.error({ err: error }, "Redis connection for shared pacing failed"));
  // bottleneck 2.19's typings declare ready() a method; the implementation makes it a promise.
  const ready: unknown = (connection as unknown as { ready: unknown }).ready;
  await (typeof ready === "function" ? (ready as () => Promise<unknown>).call(connection) : ready);
  const pacer = new TelegramPacer(options.limits, {
    connection,
    id: `ordergram:pacing:${options.botId}`,
    reserve: async (key, limit, windowMs) => Number(await client.eval(reserveScript, 1, key, limit, windowMs, randomUUID())),
  });
  return {
    pacer,
    close: async () => {
      await connection.disconnect(false);
    },
  };
}
