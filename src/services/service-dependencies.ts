import type { ConfigFile } from "../config/config-schema.js";
import type { Db } from "../db/create-prisma-client.js";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import type { OperationsMetrics } from "../shared/operations-metrics.js";

/** What every use case needs; built once by the app and handed to the API and the bot. */
export interface ServiceDependencies {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Counts what the people who run ordergram watch (src/app/prometheus-metrics.ts). */
  metrics: OperationsMetrics;
  /** The configuration in force now (new dialogs snapshot it). */
  config: () => ConfigFile;
  /** The bot's @username, for t.me start links. */
  botUsername: string;
  outbox: {
    /** Wakes the outbox sender after a transaction that enqueued something has committed. */
    kick(): void;
    /** Sends these committed Telegram rows now, from the caller: a customer's answer (see dialog-answer.ts). */
    deliverNow(idempotencyKeys: string[]): Promise<void>;
  };
}
