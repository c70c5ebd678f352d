import type { UserFromGetMe } from "grammy/types";
import type { Hono } from "hono";
import { startTelegramStandin, type TelegramStandin } from "../telegram-standin/index.js";
import type { TelegramTestUser } from "../telegram-standin/telegram-test-user.js";
import { sandboxRoutes } from "./sandbox-routes.js";

export interface Sandbox {
  standin: TelegramStandin;
  telegram: { token: string; apiRoot: string; botInfo: UserFromGetMe };
  /** The customer who is ready to chat from the start (she has opened the bot before). */
  demoCustomer: TelegramTestUser;
  routes: Hono;
  close(): Promise<void>;
}

/** A fixed, obviously fake token: the sandbox bot exists only in the local stand-in. */
export const sandboxBotToken = "1000000001:SANDBOX-local-stand-in-not-a-real-token";

/**
 * The sandbox: a local Telegram Bot API stand-in on 127.0.0.1 with a bot and a demo customer,
 * so a shop owner can try ordergram without a token or a network.
 */
export async function startSandbox(options: { shopName: string; host?: string; port?: number }): Promise<Sandbox> {
  const standin = await startTelegramStandin({ host: options.host ?? "127.0.0.1", port: options.port ?? 0 });
  const bot = standin.addBot({ token: sandboxBotToken, username: "ordergram_sandbox_bot", firstName: options.shopName });
  const demoCustomer = standin.addUser({ firstName: "Anna", languageCode: "en", phone: "+491701234567" });
  const customers = new Map([[demoCustomer.id, demoCustomer]]);
  return {
    standin,
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
    routes: sandboxRoutes(standin, customers),
    close: () => standin.close(),
  };
}
