import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, BotError, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { ShopConfig } from "../config/config-schema.js";
import { fallbackFlow } from "../flows/fallback/fallback-flow.js";
import { startFlow } from "../flows/start/start-flow.js";
import { resolveLanguage, type Translator } from "../locales/i18n.js";
import type { Logger } from "../shared/logger.js";
import type { BotContext } from "./bot-context.js";

export interface BotDependencies {
  token: string;
  /** Bot API server; Telegram's by default. */
  apiRoot?: string;
  /** Known bot identity (skips getMe at start-up; tests and the sandbox know it). */
  botInfo?: UserFromGetMe;
  shop: ShopConfig;
  translator: Translator;
  logger: Logger;
}

/** The one place where ordergram's bot is assembled: middleware order, flows, error boundary. */
export function createBot(deps: BotDependencies): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    client: { ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}) },
  });
  // Replies to a customer's own tap are sent at once; a 429 or 5xx on them is retried here.
  // Messages the bot sends on its own go through the outbox, which paces them.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));

  // One update at a time per chat (runner runs updates concurrently otherwise), so two fast taps
  // of one customer are handled in order.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(async (ctx, next) => {
    ctx.shop = deps.shop;
    ctx.language = resolveLanguage([ctx.from?.language_code], deps.shop);
    ctx.t = deps.translator.forLanguage(ctx.language);
    ctx.logger = deps.logger.child({ updateId: ctx.update.update_id, chatId: ctx.chat?.id });
    await next();
  });

  bot.use(startFlow);
  bot.use(fallbackFlow);

  bot.catch(async (error: BotError<BotContext>) => {
    const { ctx } = error;
    const cause = error.error;
    const side = cause instanceof GrammyError ? "telegram" : cause instanceof HttpError ? "network" : "ordergram";
    (ctx.logger ?? deps.logger).error({ err: cause, side, updateId: ctx.update.update_id }, "update failed");
    if (ctx.chat?.type === "private" && side === "ordergram") {
      await ctx.reply(ctx.t("errors.internal")).catch(() => undefined);
    }
  });
  return bot;
}
