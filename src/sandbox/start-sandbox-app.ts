import { startApp, type RunningApp, type StartAppOptions } from "../app/start-app.js";
import type { Config } from "../config/load-config.js";
import type { Logger } from "../shared/logger.js";
import { startSandbox, type Sandbox } from "./start-sandbox.js";

export interface RunningSandbox {
  sandbox: Sandbox;
  app: RunningApp;
  /** The configuration the app runs with: the owner's, wired into the sandbox. */
  config: Config;
  /** Disconnects open pages, stops the app, then the stand-in. */
  stop(): Promise<void>;
}

/**
 * ordergram in sandbox mode, as `npm start` without a token runs it: the stand-in with the demo
 * customer and the managers' forum, the app on the sandbox clock with the owner's config wired
 * into the sandbox, and the sandbox page mounted at /sandbox.
 */
export async function startSandboxApp(options: {
  config: Config;
  logger: Logger;
  apiToken: string;
  /** Test knobs passed on to startApp (poll intervals). */
  app?: Pick<StartAppOptions, "outboxPollIntervalMs" | "jobPollIntervalMs">;
}): Promise<RunningSandbox> {
  const sandbox = await startSandbox({
    shopName: options.config.file.shop.name,
    allowRemote: options.config.env.ORDERGRAM_SANDBOX_ALLOW_REMOTE,
  });
  const config = sandbox.configFor(options.config);
  let app: RunningApp;
  try {
    app = await startApp({
      ...options.app,
      config,
      logger: options.logger,
      apiToken: options.apiToken,
      clock: sandbox.clock,
      telegram: sandbox.telegram,
      mounts: [{ prefix: "/sandbox", app: sandbox.routes }],
      // A reloaded config file is wired into the sandbox like the first one.
      adaptConfig: (next) => sandbox.configFor(next),
    });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  sandbox.attach({ app, config, apiToken: options.apiToken });
  // The demo customer has opened the bot before, so the bot may write to her first.
  await sandbox.demoCustomer.sendText("/start");
  return {
    sandbox,
    app,
    config,
    stop: async () => {
      // An open sandbox page holds an event stream, which would keep the HTTP server from closing.
      sandbox.disconnectPages();
      await app.stop();
      await sandbox.close();
    },
  };
}
