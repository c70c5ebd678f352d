import { createLogger, type Logger } from "../../src/shared/logger.js";

/** A log line as pino writes it (JSON), with the fields a shop would grep for. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

/** A logger whose lines the test reads, as a shop reads its log (at info and above). */
export function captureLogs(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });
  return { logger, lines };
}
