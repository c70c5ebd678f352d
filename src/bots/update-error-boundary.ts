import { BotError, GrammyError, HttpError } from "grammy";
import { isDatabaseBusy } from "../db/busy-error.js";
import { escalateChat } from "../services/handoff/escalate-chat.js";
import type { ServiceDependencies } from "../services/service-dependencies.js";
import type { BotContext } from "./bot-context.js";

/**
 * The one error boundary for an update, however it arrived (long polling, webhook, a host bot):
 * the failure is logged once, the customer is answered, and a flow that broke goes to a person.
 */
export function updateErrorBoundary(services: ServiceDependencies): (error: BotError<BotContext>) => Promise<void> {
  return async (error) => {
    const { ctx } = error;
    const cause = error.error;
    const side = cause instanceof GrammyError ? "telegram" : cause instanceof HttpError ? "network" : "ordergram";
    services.logger.error({ err: cause, side, updateId: ctx.update.update_id }, "update failed");
    if (ctx.chat?.type === "private" && isDatabaseBusy(cause) && ctx.t) {
      // Overloaded for a moment, nothing applied: the customer tries again; not a person's job.
      await ctx.reply(ctx.t("errors.busy")).catch(() => undefined);
      return;
    }
    if (ctx.chat?.type === "private" && side === "ordergram" && ctx.t) {
      await ctx.reply(ctx.t("errors.internal")).catch(() => undefined);
      // A flow failed unexpectedly: a person takes over rather than leaving the customer stuck.
      await escalateChat(services, { chatId: BigInt(ctx.chat.id), reason: "flow_failure", detail: String(cause).slice(0, 200) }).catch((escalation: unknown) =>
        services.logger.error({ err: escalation }, "could not escalate after a failure"),
      );
    }
  };
}
