import type { Update } from "grammy/types";
import { startApp, type RunningApp } from "./app/start-app.js";
import { ConfigError, loadConfig, requireWebhookSecret, type Config } from "./config/load-config.js";
import type { Clock } from "./shared/clock.js";
import type { Logger } from "./shared/logger.js";

/**
 * ordergram as a library: mount it into a shop's existing grammY or Telegraf bot (one token, one
 * bot). It runs its own shop API server, scheduler and paced outbox; the host bot receives the
 * updates and hands each to ordergram first. What ordergram does not handle (the host's
 * commands, its buttons, /start payloads that are not ordergram's) goes on to the host's own
 * handlers. `npm start` is just another host of the same core, so the modes cannot drift apart.
 */
export interface OrdergramOptions {
  /** The host bot's token: ordergram answers and sends as the same bot. */
  token: string;
  /** Bot API server; Telegram's by default. */
  apiRoot?: string;
  /** The configuration; otherwise read like `npm start` does (ORDERGRAM_CONFIG, ./ordergram.config.yaml, the example). */
  config?: Config;
  /** The environment to read (secrets, DATABASE_URL, PORT...); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The shop API's bearer token; ORDERGRAM_API_TOKEN by default. */
  apiToken?: string;
  logger?: Logger;
  clock?: Clock;
}

/** The smallest shape of a Telegraf or grammY context ordergram needs: the raw update. */
interface HostContext {
  update: object;
}

export interface Ordergram {
  /** Middleware for a grammY host: `bot.use(ordergram.grammy())`. */
  grammy(): (ctx: HostContext, next: () => Promise<void>) => Promise<void>;
  /** Middleware for a Telegraf host: `bot.use(ordergram.telegraf())`. */
  telegraf(): (ctx: HostContext, next: () => Promise<void>) => Promise<void>;
  /** Where the shop API listens. */
  url: string;
  /** The running core (services, scheduler), for hosts that need more. */
  app: RunningApp;
  /** Finishes what is in flight, stops the API, the scheduler and the outbox. */
  stop(): Promise<void>;
}

export async function createOrdergram(options: OrdergramOptions): Promise<Ordergram> {
  const config = options.config ?? loadConfig(options.env ? { env: options.env } : {});
  // Mounted in a shop's bot, ordergram talks to Telegram for real, whatever loadConfig guessed
  // from the environment: webhooks to the shop need their secret.
  requireWebhookSecret(config);
  const apiToken = options.apiToken ?? config.env.ORDERGRAM_API_TOKEN;
  if (!apiToken || apiToken.length < 16) {
    throw new ConfigError("createOrdergram", [
      { path: "apiToken", message: "a shop API token of at least 16 characters (or ORDERGRAM_API_TOKEN)" },
    ]);
  }
  const app = await startApp({
    config,
    apiToken,
    telegram: { token: options.token, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
    updates: "host",
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const middleware = () => async (ctx: HostContext, next: () => Promise<void>) => {
    if (!(await app.handleUpdate(ctx.update as Update))) await next();
  };
  return { grammy: middleware, telegraf: middleware, url: app.url, app, stop: () => app.stop() };
}
