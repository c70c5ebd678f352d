import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** Structured JSON logs on stdout (pino), one line per event; level from LOG_LEVEL. */
export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  const settings = {
    name: options.name ?? "ordergram",
    level: options.level ?? "info",
    // Telegram tokens appear in URLs of failed requests; never write them to logs.
    redact: { paths: ["token", "*.token", "config.telegram.token"], censor: "[redacted]" },
  };
  // Another destination than stdout: a test reading the lines a shop would grep.
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
