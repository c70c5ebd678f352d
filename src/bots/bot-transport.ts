import { run, type RunnerHandle } from "@grammyjs/runner";
import { createHmac } from "node:crypto";
import { webhookCallback, type Bot } from "grammy";
import type { Handler } from "hono";
import type { BotContext } from "./bot-context.js";

/** The updates ordergram acts on; Telegram sends nothing else. */
export const allowedUpdates = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

export const telegramWebhookPath = "/telegram/webhook";

/**
 * Telegram's secret-token header for our webhook. Derived from the bot token so that every
 * instance computes the same value with no extra setting, and it never leaves this server except
 * in setWebhook. Telegram allows 1-256 characters of [A-Za-z0-9_-].
 */
export const webhookSecretFor = (botToken: string): string =>
  createHmac("sha256", botToken).update("ordergram telegram webhook").digest("base64url");

export interface PollingHandle {
  /** Stops fetching and waits for the updates being handled to finish. */
  stop(): Promise<void>;
}

/**
 * Updates handled at once. Each one works in the database, which serves a few at a time (SQLite
 * one writer, PostgreSQL a pool of 10): with the runner's default of 500 in flight, a burst of
 * customers made every update wait in the database's queue, far past the time a transaction may
 * wait to start (the benchmarks saw taps fail that way). Updates beyond this wait in the runner
 * instead, in order, and the shop's API requests are not starved behind them.
 */
export const updatesInFlight = 16;

/** Long polling with concurrency across chats (the runner), one update at a time per chat. */
export async function startPolling(bot: Bot<BotContext>): Promise<PollingHandle> {
  await bot.init();
  await bot.api.deleteWebhook();
  const runner: RunnerHandle = run(bot, {
    runner: { fetch: { allowed_updates: [...allowedUpdates] } },
    sink: { concurrency: updatesInFlight },
  });
  return {
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
      // The runner's stop ends the fetching only; the updates already fetched are still being
      // handled. Wait for them (a deploy must not cut a customer's tap in half), within reason.
      const deadline = Date.now() + inFlightGraceMs;
      while (runner.size() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}

/** How long a stop waits for the updates in hand (a Bot API call times out well before this). */
const inFlightGraceMs = 30_000;

/**
 * <publicUrl>/telegram/webhook, keeping a path the public URL has (https://shop.example/og →
 * https://shop.example/og/telegram/webhook), as behind a reverse proxy that serves ordergram
 * under a prefix. (`new URL(path, base)` would replace the base's path instead.)
 */
export function telegramWebhookUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${telegramWebhookPath}`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

/** Registers <publicUrl>/telegram/webhook with Telegram. */
export async function registerWebhook(bot: Bot<BotContext>, publicUrl: string, botToken: string): Promise<string> {
  await bot.init();
  const url = telegramWebhookUrl(publicUrl);
  await bot.api.setWebhook(url, { secret_token: webhookSecretFor(botToken), allowed_updates: [...allowedUpdates] });
  return url;
}

/** The HTTP handler Telegram posts updates to; a request without our secret header gets 401. */
export function telegramWebhookHandler(bot: Bot<BotContext>, botToken: string): Handler {
  return webhookCallback(bot, "hono", { secretToken: webhookSecretFor(botToken) });
}
