import type { Context } from "grammy";
import type { ShopConfig } from "../config/config-schema.js";
import type { Translate } from "../locales/i18n.js";
import type { Language } from "../locales/supported-languages.js";
import type { Logger } from "../shared/logger.js";

/** What every handler can rely on, set by the bot's first middleware. */
export interface OrdergramFlavor {
  /** The language this update is answered in. */
  language: Language;
  /** Translation fixed to `language`; every text the bot says goes through it. */
  t: Translate;
  shop: ShopConfig;
  logger: Logger;
}

export type BotContext = Context & OrdergramFlavor;
