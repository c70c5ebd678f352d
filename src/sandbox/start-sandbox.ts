import type { UserFromGetMe } from "grammy/types";
import type { Hono } from "hono";
import type { Config } from "../config/load-config.js";
import { OffsetClock } from "../shared/clock.js";
import { startTelegramStandin, type TelegramStandin, type TelegramTestGroup } from "../telegram-standin/index.js";
import type { TelegramTestUser } from "../telegram-standin/telegram-test-user.js";
import { sandboxConfig } from "./sandbox-config.js";
import { SandboxFeed } from "./sandbox-feed.js";
import { sandboxRoutes, type AttachedApp } from "./sandbox-routes.js";
import { WebhookInbox } from "./webhook-inbox.js";

export interface Sandbox {
  standin: TelegramStandin;
  /** The whole app's clock in sandbox mode: real time plus what the owner skipped. */
  clock: OffsetClock;
  telegram: { token: string; apiRoot: string; botInfo: UserFromGetMe };
  /** The customer who is ready to chat from the start (she has opened the bot before). */
  demoCustomer: TelegramTestUser;
  /** The demo manager, a member of the managers' forum. */
  demoManager: TelegramTestUser;
  managersGroup: TelegramTestGroup;
  /** Records the webhooks the shop would receive. */
  webhooks: WebhookInbox;
  /** Mounted at /sandbox: the page and its control API. */
  routes: Hono;
  /** The owner's config with the managers' group and the webhook URL pointing into the sandbox. */
  configFor(config: Config): Config;
  /** Hands the running app to the routes (they answer 503 until then). */
  attach(attached: AttachedApp): void;
  /** Ends the page's event streams, so the app's HTTP server can close. Call before app.stop(). */
  disconnectPages(): void;
  close(): Promise<void>;
}

/** A fixed, obviously fake token: the sandbox bot exists only in the local stand-in. */
export const sandboxBotToken = "1000000001:SANDBOX-local-stand-in-not-a-real-token";

/**
 * The sandbox: a local Telegram Bot API stand-in on 127.0.0.1 with the shop's bot, a demo customer,
 * and the managers' forum supergroup (the bot an admin, a demo manager in it); a receiver for the
 * shop's webhooks; and a clock the owner can move forward. So a shop owner can try every flow
 * without a token or a network.
 */
export async function startSandbox(options: { shopName: string; allowRemote?: boolean; host?: string; port?: number }): Promise<Sandbox> {
  const clock = new OffsetClock();
  // The stand-in dates messages on the sandbox clock, so skipped hours show in the chats too.
  const standin = await startTelegramStandin({ host: options.host ?? "127.0.0.1", port: options.port ?? 0, now: () => clock.now() });
  const bot = standin.addBot({ token: sandboxBotToken, username: "ordergram_sandbox_bot", firstName: options.shopName });
  const demoCustomer = standin.addUser({ firstName: "Anna", languageCode: "en", phone: "+491701234567" });
  const demoManager = standin.addUser({ firstName: "Maria", lastName: "Manager", languageCode: "en", username: "maria_sandbox" });
  const managersGroup = standin.addForumGroup({
    title: `${options.shopName} managers`,
    members: [],
    admins: [demoManager],
    botsAreAdmins: true,
  });
  const inbox = await WebhookInbox.start({ clock });
  const feed = new SandboxFeed(standin, inbox);
  const customers = new Map([[demoCustomer.id, demoCustomer]]);
  const managers = new Map([[demoManager.id, demoManager]]);
  let attached: AttachedApp | undefined;

  return {
    standin,
    clock,
    telegram: {
      token: bot.token,
      apiRoot: standin.url,
      botInfo: {
        id: bot.id,
        is_bot: true,
        first_name: options.shopName,
        username: bot.username,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      } as UserFromGetMe,
    },
    demoCustomer,
    demoManager,
    managersGroup,
    webhooks: inbox,
    routes: sandboxRoutes({
      standin,
      botId: bot.id,
      clock,
      customers,
      managers,
      managersGroup,
      inbox,
      feed,
      allowRemote: options.allowRemote ?? false,
      attached: () => attached,
    }),
    configFor: (config) => {
      const wired = sandboxConfig(config, { managersGroupId: managersGroup.id, managerIds: [demoManager.id], webhookUrl: inbox.url });
      inbox.useSecret(wired.env.ORDERGRAM_WEBHOOK_SECRET ?? "");
      return wired;
    },
    attach: (app) => {
      attached = app;
    },
    disconnectPages: () => feed.close(),
    close: async () => {
      feed.close();
      await Promise.all([standin.close(), inbox.close()]);
    },
  };
}
