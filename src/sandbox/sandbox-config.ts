import { withEnv, type Config } from "../config/load-config.js";

/** Used when ORDERGRAM_WEBHOOK_SECRET is not set, so sandbox webhooks are signed like real ones. */
export const sandboxWebhookSecret = "sandbox-webhook-secret-not-for-production";

export interface SandboxWiring {
  /** The managers' forum supergroup inside the stand-in. */
  managersGroupId: number;
  /** The demo managers' Telegram user ids inside the stand-in. */
  managerIds: number[];
  /** The sandbox's own webhook receiver. */
  webhookUrl: string;
}

/**
 * The configuration the app runs with in sandbox mode: the owner's file as it is (so wording,
 * steps and timings are previewed exactly as customers will see them), with only what points
 * outside replaced by its stand-in counterpart: the managers' group and its managers, and where
 * webhooks go. Nothing is written back to the file.
 */
export function sandboxConfig(config: Config, wiring: SandboxWiring): Config {
  // An ORDERGRAM_WEBHOOK_URL set on purpose is the owner testing their own receiver; a URL from the
  // config file is production's and must not get sandbox orders.
  const webhookUrl = config.env.ORDERGRAM_WEBHOOK_URL ?? wiring.webhookUrl;
  return {
    ...withEnv(config, {
      ORDERGRAM_WEBHOOK_URL: webhookUrl,
      ORDERGRAM_WEBHOOK_SECRET: config.env.ORDERGRAM_WEBHOOK_SECRET ?? sandboxWebhookSecret,
    }),
    file: {
      ...config.file,
      webhooks: { ...config.file.webhooks, url: webhookUrl },
      managers: { ...config.file.managers, groupChatId: BigInt(wiring.managersGroupId), userIds: wiring.managerIds },
    },
  };
}
