import { pino, type Logger } from "pino";

export type { Logger };

/** Structured JSON logs on stdout (pino), one line per event; level from LOG_LEVEL. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? "ordergram",
    level: options.level ?? "info",
    // Telegram tokens appear in URLs of failed requests; never write them to logs.
    redact: { paths: ["token", "*.token", "config.telegram.token"], censor: "[redacted]" },
  });
}
