import type { MiddlewareFn } from "grammy";
import type { CommandsConfig } from "../config/commands-config.js";
import type { BotContext } from "./bot-context.js";

/**
 * The shop's names for ordergram's commands. ordergram's flows answer their built-in names
 * (/help, /return, /language); when the shop renames one (`commands: { help: "support" }`), an
 * incoming /support is rewritten to /help before the flows see it, and /help itself is no longer
 * ordergram's: in a host bot it passes to the host's own handlers. Rewriting here keeps every
 * flow unaware of renames.
 */
export function commandNames(getNames: () => CommandsConfig): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const message = ctx.message;
    const entity = message?.entities?.[0];
    if (!message?.text || entity?.type !== "bot_command" || entity.offset !== 0) return next();
    const [command = "", mention] = message.text.slice(1, entity.length).split("@");
    const names = Object.entries<string>(getNames());
    const renamedTo = names.find(([builtIn, shown]) => shown === command && builtIn !== shown)?.[0];
    if (renamedTo) {
      const original = { text: message.text, length: entity.length };
      const replacement = `/${renamedTo}${mention ? `@${mention}` : ""}`;
      message.text = replacement + message.text.slice(entity.length);
      entity.length = replacement.length;
      try {
        await next();
      } finally {
        // A host bot gets the update as Telegram sent it.
        message.text = original.text;
        entity.length = original.length;
      }
      return;
    }
    if (names.some(([builtIn, shown]) => builtIn === command && shown !== builtIn)) {
      // The shop gave this name away: not ordergram's any more.
      if (ctx.hosted) return ctx.passOn();
      await ctx.reply(ctx.t("fallback.notUnderstood"));
      return;
    }
    return next();
  };
}
