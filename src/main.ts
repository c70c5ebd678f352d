import path from "node:path";
import { ConfigError, loadConfig } from "./config/load-config.js";
import { redactDatabaseUrl } from "./db/database-url.js";
import { startApp, type RunningApp } from "./app/start-app.js";
import { startSandboxApp, type RunningSandbox } from "./sandbox/start-sandbox-app.js";
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
/** In the sandbox the API is on loopback only; a fixed token keeps the printed curl lines working. */
const apiToken = config.env.ORDERGRAM_API_TOKEN ?? "sandbox-api-token";
let app: RunningApp;
let sandbox: RunningSandbox | undefined;
try {
  if (config.mode === "sandbox") {
    sandbox = await startSandboxApp({ config, logger, apiToken });
    app = sandbox.app;
  } else {
    app = await startApp({
      config,
      logger,
      apiToken,
      telegram: {
        token: config.env.TELEGRAM_BOT_TOKEN,
        ...(config.env.TELEGRAM_API_ROOT ? { apiRoot: config.env.TELEGRAM_API_ROOT } : {}),
      },
    });
  }
} catch (error) {
  logger.fatal({ err: error }, "ordergram could not start");
  process.stderr.write(`ordergram could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

if (sandbox) {
  printSandboxBanner({ appUrl: app.url, apiToken, sandbox: sandbox.sandbox, config: sandbox.config });
} else {
  // Which file and which database: the first thing to check when the bot does not do what the owner configured.
  logger.info(
    {
      url: app.url,
      bot: app.botUsername,
      transport: app.transport,
      config: path.resolve(config.configPath),
      database: redactDatabaseUrl(config.env.DATABASE_URL),
    },
    "ordergram is running",
  );
}

let shuttingDown = false;
const shutdown = async (signal: string) => {
  if (shuttingDown) {
    logger.warn("second signal: exiting at once");
    process.exit(1);
  }
  shuttingDown = true;
  logger.info({ signal }, "shutting down: finishing in-flight work");
  await (sandbox ? sandbox.stop() : app.stop());
  process.exit(0);
};
// SIGHUP (and a change to the config file) re-reads the config: a valid one is in force for new
// dialogs; an invalid one is refused and logged with every problem, and the running one stays.
process.on("SIGHUP", () => {
  logger.info({ configPath: config.configPath }, "SIGHUP: reloading the config");
  void app.reloadConfig().catch((error: unknown) => logger.error({ err: error }, "config reload failed"));
});
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
