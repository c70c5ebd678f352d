import type { WebhookInfo } from "@grammyjs/types";
import { BotApiError } from "../bot-api-error.js";
import { WebhookSender } from "../webhook-sender.js";
import { paramsOf, type MethodTable } from "./method-call.js";

/** Getting updates: long polling, or a webhook the stand-in pushes to. */
export const updateMethods: MethodTable = {
  async getUpdates(call) {
    const p = paramsOf(call, "getUpdates");
    const { bot } = call;
    if (bot.webhook) throw webhookActive();
    if (p.allowed_updates !== undefined) bot.updates.setAllowedUpdates([...p.allowed_updates]);
    if (p.offset !== undefined) bot.updates.confirm(p.offset);
    const limit = Math.min(100, Math.max(1, p.limit ?? 100));
    const outcome = await bot.updates.wait(Math.max(0, p.timeout ?? 0) * 1000, call.signal, true);
    if (outcome === "terminated") {
      throw BotApiError.conflict("terminated by other getUpdates request; make sure that only one bot instance is running");
    }
    if (bot.webhook) throw webhookActive();
    return bot.updates.peek(limit);
  },

  async setWebhook(call) {
    const p = paramsOf(call, "setWebhook");
    const { bot, world } = call;
    if (p.url === "") return removeWebhook(call, p.drop_pending_updates === true);
    let url: URL;
    try {
      url = new URL(p.url);
    } catch {
      throw BotApiError.badRequest("bad webhook: invalid URL");
    }
    // Telegram demands HTTPS on ports 443/80/88/8443; a local stand-in has to accept plain HTTP on any port.
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw BotApiError.badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    if (p.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(p.secret_token)) {
      throw BotApiError.badRequest("secret token contains unallowed characters");
    }
    const maxConnections = p.max_connections ?? 40;
    if (maxConnections < 1 || maxConnections > 100) throw BotApiError.badRequest("bad webhook: invalid max_connections");
    await bot.webhook?.stop();
    if (p.drop_pending_updates) bot.updates.clear();
    if (p.allowed_updates !== undefined) bot.updates.setAllowedUpdates([...p.allowed_updates]);
    bot.webhook = new WebhookSender(
      {
        url: url.toString(),
        secretToken: p.secret_token,
        maxConnections,
        allowedUpdates: p.allowed_updates === undefined ? undefined : [...p.allowed_updates],
        ipAddress: p.ip_address,
      },
      bot.updates,
      {
        retryDelaysMs: world.options.webhookRetryDelaysMs,
        nowSeconds: () => world.nowSeconds(),
        onReply: (body) => world.webhookReplyHandler?.(bot, body),
      },
    );
    // A long poll still waiting must end: Telegram answers it with 409 once a webhook is set.
    bot.updates.releaseAll();
    bot.webhook.start();
    return true;
  },

  deleteWebhook(call) {
    const p = paramsOf(call, "deleteWebhook");
    return removeWebhook(call, p.drop_pending_updates === true);
  },

  getWebhookInfo(call): WebhookInfo {
    const { bot } = call;
    const info: WebhookInfo = {
      url: bot.webhook?.settings.url ?? "",
      has_custom_certificate: false,
      pending_update_count: bot.updates.pendingCount,
    };
    const webhook = bot.webhook;
    if (!webhook) return info;
    if (webhook.settings.ipAddress !== undefined) info.ip_address = webhook.settings.ipAddress;
    if (webhook.lastErrorDate !== undefined) info.last_error_date = webhook.lastErrorDate;
    if (webhook.lastErrorMessage !== undefined) info.last_error_message = webhook.lastErrorMessage;
    info.max_connections = webhook.settings.maxConnections;
    if (webhook.settings.allowedUpdates !== undefined) {
      info.allowed_updates = webhook.settings.allowedUpdates as WebhookInfo["allowed_updates"];
    }
    return info;
  },
};

async function removeWebhook(call: Parameters<NonNullable<MethodTable[string]>>[0], dropPending: boolean): Promise<true> {
  await call.bot.webhook?.stop();
  call.bot.webhook = undefined;
  if (dropPending) call.bot.updates.clear();
  return true;
}

function webhookActive(): BotApiError {
  return BotApiError.conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
}
