import {
  createConcurrentSink,
  createRunner,
  createSource,
  createUpdateFetcher,
  type RunnerHandle,
  type UpdateSupplier,
} from "@grammyjs/runner";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Bot, Transformer } from "grammy";
import type { Update } from "grammy/types";
import type { Handler } from "hono";
import { z } from "zod";
import type { Logger } from "../shared/logger.js";
import type { UpdateIntake } from "./update-intake.js";
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
  /** Waits for the updates fetched so far to be handled, within `graceMs`; polling goes on. */
  drain(graceMs: number): Promise<void>;
}

/**
 * Updates handled at once. Each one works in the database, which serves a few at a time (SQLite
 * one writer, PostgreSQL a pool of 10): with the runner's default of 500 in flight, a burst of
 * customers made every update wait in the database's queue, far past the time a transaction may
 * wait to start (the benchmarks saw taps fail that way). Updates beyond this wait in the runner
 * instead, in order, and the shop's API requests are not starved behind them.
 */
export const updatesInFlight = 16;

/**
 * Long polling with concurrency across chats (the runner), one update at a time per chat. Another
 * instance polling with the same token gets Telegram's 409 for one of the two polls: this one
 * backs off and polls again (see {@link pollingConflictBackoff}) instead of the runner dying.
 *
 * The runner confirms a batch to Telegram (the next getUpdates' offset) as soon as it fetched it,
 * before the updates are handled. So each batch is recorded through the intake first, and only
 * then handed on: an update fetched when the process dies is handled at the next start, and one
 * Telegram sends again (fetched but not confirmed yet) is not handled twice.
 */
export async function startPolling(bot: Bot<BotContext>, intake: UpdateIntake, logger: Logger): Promise<PollingHandle> {
  await bot.init();
  await bot.api.deleteWebhook();
  bot.api.config.use(pollingConflictBackoff(logger));
  // What grammY's run(bot) assembles, with the recording between fetching and handling.
  // Fetch errors are logged (as JSON) by the transformer, not printed by the runner.
  const fetchUpdates = createUpdateFetcher(bot, { fetch: { allowed_updates: [...allowedUpdates] }, silent: true });
  const source = createSource({
    supply: async (batchSize, signal) => recordBeforeConfirming(intake, await fetchUpdates(batchSize, signal), signal, logger),
  });
  const sink = createConcurrentSink(
    { consume: (update: Update) => intake.handleRecorded(update) },
    async (error) => logger.error({ err: error }, "update failed"),
    {
      concurrency: updatesInFlight,
    },
  );
  const runner: RunnerHandle = createRunner(source, sink);
  runner.start();
  // Only a 401 (the token was revoked) or 15 hours of failures end the runner: said, not thrown.
  void runner.task()?.catch((error: unknown) => logger.error({ err: error }, "long polling stopped: no more updates are fetched"));
  const drain = async (graceMs: number) => {
    const deadline = Date.now() + graceMs;
    while (runner.size() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  return {
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
      // The runner's stop ends the fetching only; the updates already fetched are still being
      // handled. Wait for them (a deploy must not cut a customer's tap in half), within reason.
      await drain(inFlightGraceMs);
    },
    drain,
  };
}

/** The runner's AbortSignal (its own shim's type). */
type RunnerSignal = Parameters<UpdateSupplier<Update>["supply"]>[1];

/**
 * Records a fetched batch, retrying while the database fails: the batch must not be confirmed
 * (by the next getUpdates) before it is recorded. Returns the updates not recorded before.
 */
async function recordBeforeConfirming(intake: UpdateIntake, updates: Update[], signal: RunnerSignal, logger: Logger): Promise<Update[]> {
  for (let pauseMs = 500; ; pauseMs = Math.min(pauseMs * 2, 10_000)) {
    try {
      return await intake.record(updates);
    } catch (error) {
      if (signal.aborted) throw error;
      logger.error({ err: error, updates: updates.length }, "could not record fetched updates; trying again before fetching more");
      await pause(pauseMs, signal as unknown as AbortSignal);
    }
  }
}

/** The longest pause between polls while another instance polls with the same token. */
export const conflictBackoffMaxMs = 30_000;

/**
 * getUpdates answered 409 "terminated by other getUpdates request": another process polls with
 * this token. The runner treats that as fatal; here it is a warning, and the poll is tried again
 * after a pause that doubles up to {@link conflictBackoffMaxMs}, until the other one is gone.
 * Other fetch failures are logged and left to the runner's own retry.
 */
export function pollingConflictBackoff(logger: Logger): Transformer {
  let conflicted = false;
  return async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    let pauseMs = 1000;
    for (;;) {
      let result: Awaited<ReturnType<typeof prev<typeof method>>>;
      try {
        result = await prev(method, payload, signal);
      } catch (error) {
        if (!signal?.aborted) logger.warn({ err: error }, "could not fetch updates from Telegram; retrying");
        throw error;
      }
      if (result.ok) {
        if (conflicted) logger.info("long polling resumed: no other instance polls with this token now");
        conflicted = false;
        return result;
      }
      if (result.error_code !== 409 || signal?.aborted) {
        if (!signal?.aborted) logger.warn({ errorCode: result.error_code, description: result.description }, "Telegram refused getUpdates");
        return result;
      }
      logger.warn(
        { description: result.description, retryInMs: pauseMs },
        "another instance is polling Telegram with this bot token (409); polling again after a pause. Run one poller per bot, or use " +
          "webhook mode",
      );
      conflicted = true;
      await pause(pauseMs, signal as unknown as AbortSignal | undefined);
      if (signal?.aborted) return result;
      pauseMs = Math.min(pauseMs * 2, conflictBackoffMaxMs);
    }
  };
}

const pause = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/** How long a stop waits for the updates in hand (a Bot API call times out well before this). */
export const inFlightGraceMs = 30_000;

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

/** Telegram's updates are a few kilobytes; anything far larger is not one. */
const maxUpdateBytes = 1024 * 1024;

/**
 * The HTTP handler Telegram posts updates to; a request without our secret header gets 401.
 * An update is acknowledged (200) as soon as it is recorded, and handled in the background through
 * the intake, so a slow or failing update is never redelivered by Telegram and never holds back
 * the others. A body that is not an update gets 400 and a log line; nothing here answers 500.
 */
export function telegramWebhookHandler(intake: UpdateIntake, botToken: string, logger: Logger): Handler {
  const secret = webhookSecretFor(botToken);
  return async (c) => {
    if (!secretMatches(c.req.header("x-telegram-bot-api-secret-token"), secret)) return c.text("unauthorized", 401);
    const body = await readLimited(c.req.raw, maxUpdateBytes);
    if (body === null) {
      logger.warn({ limitBytes: maxUpdateBytes }, "webhook body refused: too large for an update");
      return c.json({ ok: false, error: "body too large" }, 400);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      logger.warn({ bytes: body.length }, "webhook body refused: not JSON");
      return c.json({ ok: false, error: "not JSON" }, 400);
    }
    const parsed = incomingUpdate.safeParse(json);
    if (!parsed.success) {
      logger.warn({ problem: z.prettifyError(parsed.error).slice(0, 500) }, "webhook body refused: not a Telegram update");
      return c.json({ ok: false, error: "not a Telegram update" }, 400);
    }
    try {
      await intake.accept(json as Update);
    } catch (error) {
      // Not recorded: Telegram must deliver it again, so it is not acknowledged.
      logger.error({ err: error, updateId: parsed.data.update_id }, "webhook update not recorded; Telegram will deliver it again");
      return c.json({ ok: false, error: "not recorded, try again" }, 503);
    }
    return c.json({ ok: true });
  };
}

const secretMatches = (header: string | undefined, secret: string): boolean =>
  header !== undefined && header.length === secret.length && timingSafeEqual(Buffer.from(header), Buffer.from(secret));

/** The request's body as text, or null when it is larger than `limit` bytes. */
async function readLimited(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Telegram's ids fit in 52 bits; a larger number (or a string) is not from Telegram. */
const telegramId = z.number().int().refine(Number.isSafeInteger, "not a Telegram id");
const chat = z.looseObject({ id: telegramId, type: z.string() });
const user = z.looseObject({ id: telegramId, is_bot: z.boolean().optional() });
const message = z.looseObject({ message_id: z.number().int(), date: z.number(), chat, from: user.optional() });

/**
 * The least an update must be for grammY and our flows to read it safely; checked at the edge, so
 * nothing further in meets a chat id "abc" or an id past 2^53. Unknown fields pass through.
 */
const incomingUpdate = z.looseObject({
  update_id: z.number().int().nonnegative().refine(Number.isSafeInteger),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: z.looseObject({ id: z.string(), from: user, message: message.optional(), data: z.string().optional() }).optional(),
  my_chat_member: z.looseObject({ chat, from: user, date: z.number() }).optional(),
});
