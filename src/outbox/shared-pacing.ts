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
export async function createSharedPacing(options: {
  limits: RateLimits;
  redisUrl: string;
  botId: number;
  logger: Logger;
}): Promise<SharedPacing> {
  // Not lazyConnect: Bottleneck duplicates the client for its subscriber, options included.
  const client = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  // Fail at start-up, with the reason, when Redis cannot be reached, rather than pacing nothing.
  try {
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`REDIS_URL: cannot reach Redis for shared pacing: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const connection = new Bottleneck.IORedisConnection({ client, Redis: Redis as never });
  recognizeRedis7ScriptErrors(connection);
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

/**
 * Bottleneck recovers from a limiter whose keys Redis has expired (a chat quiet for longer than
 * the group's 5-minute timeout) by re-registering, but only when the script's error message is
 * exactly "UNKNOWN_CLIENT" or "SETTINGS_KEY_NOT_FOUND". Redis 7 prefixes errors raised by a script
 * with "ERR ", so the recovery never ran and every send to such a chat failed the outbox pass
 * (bottleneck 2.19.5 is unmaintained; its issue #212). The prefix is taken off those two errors,
 * as Redis 6 sent them, before Bottleneck sees them.
 */
function recognizeRedis7ScriptErrors(connection: Bottleneck.IORedisConnection): void {
  const internals = connection as unknown as {
    __scriptArgs__: (name: string, id: string, args: unknown[], cb: ScriptCallback) => unknown[];
  };
  const scriptArgs = internals.__scriptArgs__.bind(connection);
  internals.__scriptArgs__ = (name, id, args, cb) =>
    scriptArgs(name, id, args, (error, replies) => {
      const bare = error?.message.match(/^ERR (UNKNOWN_CLIENT|SETTINGS_KEY_NOT_FOUND)$/)?.[1];
      if (error && bare) error.message = bare;
      cb(error, replies);
    });
}

type ScriptCallback = (error: Error | null | undefined, replies: unknown) => void;
