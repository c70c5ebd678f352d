import type { BotError } from "grammy";
import { isDatabaseBusy } from "../db/busy-error.js";
import { escalateChat } from "../services/handoff/escalate-chat.js";
import type { ServiceDependencies } from "../services/service-dependencies.js";
import { bestEffort, classifyTelegramError, type TelegramErrorClass } from "../telegram/telegram-error.js";
import type { BotContext } from "./bot-context.js";

/**
 * The one error boundary for an update, however it arrived (long polling, webhook, a host bot):
 * the failure is logged once, the customer is answered, and a flow that broke goes to a person.
 */
export function updateErrorBoundary(services: ServiceDependencies): (error: BotError<BotContext>) => Promise<void> {
  return async (error) => {
    const { ctx } = error;
    const cause = error.error;
    const failure = classifyTelegramError(cause);
    const side = sideOf(failure);
    services.logger.error({ err: cause, side, failure: failure.type, updateId: ctx.update.update_id }, "update failed");
    // Telegram may refuse the answer too (it may be why the update failed): logged, the boundary goes on.
    const answer = (text: string) => bestEffort(services.logger, "answering a failed update", () => ctx.reply(text));
    if (ctx.chat?.type === "private" && isDatabaseBusy(cause) && ctx.t) {
      // Overloaded for a moment, nothing applied: the customer tries again; not a person's job.
      await answer(ctx.t("errors.busy"));
      return;
    }
    if (ctx.chat?.type === "private" && side === "ordergram" && ctx.t) {
      await answer(ctx.t("errors.internal"));
      // A flow failed unexpectedly: a person takes over rather than leaving the customer stuck.
      await escalateChat(services, { chatId: BigInt(ctx.chat.id), reason: "flow_failure", detail: String(cause).slice(0, 200) }).catch(
        (escalation: unknown) => services.logger.error({ err: escalation }, "could not escalate after a failure"),
      );
    }
  };
}

/** Which side failed: Telegram answered with an error, the request never completed, or ordergram itself. */
function sideOf(failure: TelegramErrorClass): "telegram" | "network" | "ordergram" {
  if (failure.type === "other") return "ordergram";
  return failure.type === "network" ? "network" : "telegram";
}
