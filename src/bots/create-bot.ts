import { autoRetry } from "@grammyjs/auto-retry";
import { conversations, type ConversationData, type VersionedState } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type MiddlewareFn } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { KeyValueStorage } from "../db/key-value-storage.js";
import { confirmationFlow } from "../flows/confirmation/confirmation-flow.js";
import { orderForms } from "../flows/confirmation/order-forms.js";
import { fallbackFlow } from "../flows/fallback/fallback-flow.js";
import { customerHandoffFlow } from "../flows/handoff/customer-handoff-flow.js";
import { escalationFlow } from "../flows/handoff/escalation-flow.js";
import { managersFlow } from "../flows/handoff/managers-flow.js";
import { languageFlow } from "../flows/language/language-flow.js";
import { linkingFlow } from "../flows/linking/linking-flow.js";
import { reachAgainFlow } from "../flows/reach/reach-again-flow.js";
import { ratingCommentToPersonFlow } from "../flows/notifications/rating-comment-flow.js";
import { ratingFlow } from "../flows/notifications/rating-flow.js";
import { remedyFlow } from "../flows/remedies/remedy-flow.js";
import { ordersFlow } from "../flows/orders/orders-flow.js";
import { returnFlow } from "../flows/returns/return-flow.js";
import { returnForms } from "../flows/returns/return-form.js";
import { resolveLanguage, type Translator } from "../locales/i18n.js";
import { customerLanguage } from "../services/customer-language.js";
import { withLanguageFactsScope } from "../services/language-facts-scope.js";
import type { ServiceDependencies } from "../services/service-dependencies.js";
import type { BotContext, FormContext } from "./bot-context.js";
import { commandNames } from "./command-names.js";
import { telegramHtmlDefaults } from "./telegram-html-defaults.js";
import { updateErrorBoundary } from "./update-error-boundary.js";
import { countTelegramCalls } from "../telegram/count-telegram-calls.js";
import { hasOpenOrderInChat } from "../services/customer-order-access.js";

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
  /**
   * "standalone": ordergram is the bot, and answers what nobody else would. "hosted": mounted in
   * a shop's own bot; what ordergram does not handle is left to the host (see handledUpdates).
   */
  mode?: "standalone" | "hosted";
}

/** Updates ordergram passed on in hosted mode: the host's own handlers get them. */
const passedOn = new WeakSet<object>();

/** Whether ordergram handled this update (false: the host bot should handle it). */
export const handledByOrdergram = (update: object): boolean => !passedOn.has(update);

/** Bump when a form's code changes shape: stored forms of the old shape are dropped, not replayed. */
const formStateVersion = 2;

/** The one place where ordergram's bot is assembled: middleware order, flows, error boundary. */
export function createBot(deps: BotDependencies): Bot<BotContext> {
  const hosted = deps.mode === "hosted";
  const bot = new Bot<BotContext>(deps.token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    client: { ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}) },
  });
  // Replies to a customer's own tap are sent at once; a 429 or 5xx on them is retried here.
  // Messages the bot sends on its own go through the outbox, which paces them.
  // Counted first, so each attempt auto-retry makes is counted (a 429 waited out shows as one).
  bot.api.config.use(countTelegramCalls(deps.services.metrics));
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  bot.api.config.use(telegramHtmlDefaults);

  // Sets language, texts and services on the context; also installed inside forms, whose
  // context is built afresh on each replay.
  const ordergramContext: MiddlewareFn<FormContext> = async (ctx, next) => {
    const shop = deps.services.config().shop;
    ctx.shop = shop;
    // A customer's private chat: their own choice first (services/customer-language.ts).
    ctx.language =
      ctx.chat?.type === "private"
        ? await customerLanguage(deps.services, { chatId: BigInt(ctx.chat.id), telegramLanguage: ctx.from?.language_code })
        : resolveLanguage([ctx.from?.language_code], shop);
    ctx.t = deps.translator.forLanguage(ctx.language);
    ctx.logger = deps.services.logger.child({ updateId: ctx.update.update_id, chatId: ctx.chat?.id });
    ctx.services = deps.services;
    ctx.translator = deps.translator;
    ctx.hosted = hosted;
    ctx.passOn = () => void passedOn.add(ctx.update);
    await next();
  };

  // One update at a time per chat (the runner runs updates concurrently otherwise), so two fast
  // taps of one customer are handled in order.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  // The chat's and customer's rows that decide the language are read once per update.
  bot.use((_ctx, next) => withLanguageFactsScope(next));
  bot.use(ordergramContext);
  bot.use(commandNames(() => deps.services.config().commands));
  // A customer who had blocked the bot and writes again can be reached again (before any flow answers).
  bot.use(reachAgainFlow);
  // The customer's language choice works whoever has the chat (it never reaches the managers).
  bot.use(languageFlow);
  // Before the forms and flows: while a person has a customer's chat, the customer's messages go
  // to their topic and nothing below (a form waiting for text, /start, the fallback) answers them;
  // taps on the order's buttons pass through. The managers' group is handled here too.
  // A rating's comment written to a person is the rating's too (and goes on to the topic).
  bot.use(ratingCommentToPersonFlow);
  bot.use(customerHandoffFlow);
  bot.use(managersFlow);
  bot.use(
    conversations<BotContext, FormContext>({
      storage: { type: "key", version: formStateVersion, prefix: "form:", adapter: deps.formStorage },
    }),
  );
  bot.use(...orderForms([ordergramContext]));
  bot.use(...returnForms([ordergramContext]));

  bot.use(linkingFlow);
  bot.use(confirmationFlow);
  bot.use(ratingFlow);
  bot.use(remedyFlow);
  bot.use(returnFlow);
  bot.use(ordersFlow);
  // Last before the fallback: /help, the help rating, and texts nobody used (twice in a row, or
  // with an owner's keyword, they go to a person).
  if (hosted) {
    // In a host bot, texts ordergram cannot use count towards an escalation only while an order
    // dialog is under way in the chat; anything else, and whatever nobody handled, is the host's.
    bot.filter((ctx) => !isPlainPrivateText(ctx) || hasOpenDialog(ctx), escalationFlow);
    bot.use((ctx) => ctx.passOn());
  } else {
    bot.use(escalationFlow);
    bot.use(fallbackFlow);
  }

  bot.catch(updateErrorBoundary(deps.services));
  return bot;
}

const isPlainPrivateText = (ctx: BotContext): boolean =>
  ctx.chat?.type === "private" && ctx.message?.text !== undefined && !ctx.message.text.startsWith("/");

const hasOpenDialog = (ctx: BotContext): Promise<boolean> =>
  ctx.chat === undefined ? Promise.resolve(false) : hasOpenOrderInChat(ctx.services, BigInt(ctx.chat.id));
