import { autoRetry } from "@grammyjs/auto-retry";
import { conversations, type ConversationData, type VersionedState } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Bot, BotError, GrammyError, HttpError, type MiddlewareFn } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { KeyValueStorage } from "../db/key-value-storage.js";
import { confirmationFlow } from "../flows/confirmation/confirmation-flow.js";
import { orderForms } from "../flows/confirmation/order-forms.js";
import { fallbackFlow } from "../flows/fallback/fallback-flow.js";
import { linkingFlow } from "../flows/linking/linking-flow.js";
import { resolveLanguage, type Translator } from "../locales/i18n.js";
import type { ServiceDependencies } from "../services/service-dependencies.js";
import type { BotContext, FormContext } from "./bot-context.js";

export interface BotDependencies {
  token: string;
  /** Bot API server; Telegram's by default. */
  apiRoot?: string;
  /** Known bot identity (skips getMe at start-up; tests and the sandbox know it). */
  botInfo?: UserFromGetMe;
  services: ServiceDependencies;
  translator: Translator;
  /** Where half-filled forms are kept, so they survive a restart. */
  formStorage: KeyValueStorage<VersionedState<ConversationData>>;
}

/** Bump when a form's code changes shape: stored forms of the old shape are dropped, not replayed. */
const formStateVersion = 1;

/** The one place where ordergram's bot is assembled: middleware order, flows, error boundary. */
export function createBot(deps: BotDependencies): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    client: { ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}) },
  });
  // Replies to a customer's own tap are sent at once; a 429 or 5xx on them is retried here.
  // Messages the bot sends on its own go through the outbox, which paces them.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));

  // Sets language, texts and services on the context; also installed inside forms, whose
  // context is built afresh on each replay.
  const ordergramContext: MiddlewareFn<FormContext> = async (ctx, next) => {
    const shop = deps.services.config().shop;
    ctx.shop = shop;
    ctx.language = resolveLanguage([ctx.from?.language_code], shop);
    ctx.t = deps.translator.forLanguage(ctx.language);
    ctx.logger = deps.services.logger.child({ updateId: ctx.update.update_id, chatId: ctx.chat?.id });
    ctx.services = deps.services;
    ctx.translator = deps.translator;
    await next();
  };

  // One update at a time per chat (the runner runs updates concurrently otherwise), so two fast
  // taps of one customer are handled in order.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(ordergramContext);
  bot.use(
    conversations<BotContext, FormContext>({
      storage: { type: "key", version: formStateVersion, prefix: "form:", adapter: deps.formStorage },
    }),
  );
  bot.use(...orderForms([ordergramContext]));

  bot.use(linkingFlow);
  bot.use(confirmationFlow);
  bot.use(fallbackFlow);

  bot.catch(async (error: BotError<BotContext>) => {
    const { ctx } = error;
    const cause = error.error;
    const side = cause instanceof GrammyError ? "telegram" : cause instanceof HttpError ? "network" : "ordergram";
    deps.services.logger.error({ err: cause, side, updateId: ctx.update.update_id }, "update failed");
    if (ctx.chat?.type === "private" && side === "ordergram" && ctx.t) {
      await ctx.reply(ctx.t("errors.internal")).catch(() => undefined);
    }
  });
  return bot;
}
