import { ConfigError, loadConfig } from "./config/load-config.js";
import { startApp, type RunningApp } from "./app/start-app.js";
import { startSandbox, type Sandbox } from "./sandbox/start-sandbox.js";
import { createLogger } from "./shared/logger.js";
import { printSandboxBanner } from "./sandbox/sandbox-banner.js";

/** Composition root: parse the configuration, start ordergram (or the sandbox), stop cleanly. */

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger({ level: config.env.LOG_LEVEL });
let sandbox: Sandbox | undefined;
/** In the sandbox the API is on loopback only; a fixed token keeps the printed curl lines working. */
const apiToken = config.env.ORDERGRAM_API_TOKEN ?? "sandbox-api-token";
let app: RunningApp;
try {
  if (config.mode === "sandbox") sandbox = await startSandbox({ shopName: config.file.shop.name });
  app = await startApp({
    config,
    logger,
    apiToken,
    telegram: sandbox
      ? sandbox.telegram
      : { token: config.env.TELEGRAM_BOT_TOKEN!, ...(config.env.TELEGRAM_API_ROOT ? { apiRoot: config.env.TELEGRAM_API_ROOT } : {}) },
    ...(sandbox ? { mounts: [{ prefix: "/sandbox", app: sandbox.routes }] } : {}),
  });
} catch (error) {
  logger.fatal({ err: error }, "ordergram could not start");
  process.stderr.write(`ordergram could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  await sandbox?.close();
  process.exit(1);
}

if (sandbox) {
  // The demo customer has opened the bot before, so the bot may write to her first.
  await sandbox.demoCustomer.sendText("/start");
  printSandboxBanner({ appUrl: app.url, apiToken, sandbox, databaseUrl: config.env.DATABASE_URL, configPath: config.configPath });
} else {
  logger.info({ url: app.url, bot: app.botUsername, transport: app.transport }, "ordergram is running");
}

let shuttingDown = false;
const shutdown = async (signal: string) => {
  if (shuttingDown) {
    logger.warn("second signal: exiting at once");
    process.exit(1);
  }
  shuttingDown = true;
  logger.info({ signal }, "shutting down: finishing in-flight work");
  await app.stop();
  await sandbox?.close();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
