import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { ShopConfig } from "../config/config-schema.js";
import type { Translate, Translator } from "../locales/i18n.js";
import type { Language } from "../locales/supported-languages.js";
import type { ServiceDependencies } from "../services/service-dependencies.js";
import type { Logger } from "../shared/logger.js";

/** What every handler can rely on, set by the bot's first middleware (and inside forms). */
export interface OrdergramFlavor {
  /** The language this update is answered in (Telegram's, within the shop's languages). */
  language: Language;
  /** Translation fixed to `language`; every text the bot says goes through it. */
  t: Translate;
  shop: ShopConfig;
  logger: Logger;
  /** The use cases (services/), with their database, clock and outbox. */
  services: ServiceDependencies;
  translator: Translator;
  /** Mounted in a shop's own bot (grammY or Telegraf) rather than running as a bot of its own. */
  hosted: boolean;
  /**
   * This update is not ordergram's: in a host bot it goes on to the host's handlers. (Standalone,
   * nothing follows ordergram, so this only stops ordergram's handling.)
   */
  passOn(): void;
}

/** Context inside a short form (a conversation): the same flavour, no conversation controls. */
export type FormContext = Context & OrdergramFlavor;

export type BotContext = ConversationFlavor<FormContext>;
