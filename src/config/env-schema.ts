import { z } from "zod";

/** A token sent as `Authorization: Bearer <token>`. */
const bearerToken = z
  .string()
  .min(16, { error: "at least 16 characters" })
  .regex(/^\S+$/, { error: "no spaces (it is sent as Authorization: Bearer <token>)" });

/**
 * Environment variables: secrets and where things run. Parsed once at start-up; nothing else in
 * ordergram reads process.env.
 */
export const envSchema = z.object({
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{30,}$/, { error: "a bot token from @BotFather, like 123456:ABC-DEF…" })
    .optional(),
  /** Base URL of the Bot API server: Telegram's by default, or a self-hosted/local one. */
  TELEGRAM_API_ROOT: z.url().optional(),
  /** Bearer token the shop's system sends to /api/v1. Required with a Telegram token. */
  ORDERGRAM_API_TOKEN: bearerToken.optional(),
  /** Bearer token Prometheus sends to GET /metrics; the API token when unset (README, "Metrics"). */
  ORDERGRAM_METRICS_TOKEN: bearerToken.optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, { error: "file:<path> for SQLite or postgres://… for PostgreSQL" })
    .default("file:./data/ordergram.db"),
  /** Secret used to sign webhooks ordergram sends to the shop. */
  ORDERGRAM_WEBHOOK_SECRET: z.string().min(16, { error: "at least 16 characters" }).optional(),
  /** Where ordergram sends webhooks to the shop (overrides the config file). */
  ORDERGRAM_WEBHOOK_URL: z.url().optional(),
  ORDERGRAM_CONFIG: z.string().min(1).optional(),
  /**
   * Redis for pacing shared by several instances (redis://host:6379): the Telegram rate limits
   * then hold for all instances together. Without it each instance paces on its own.
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "a redis:// or rediss:// URL" }).optional(),
  /**
   * Sandbox mode only: "true" lets browsers on other machines use the sandbox page and its control
   * API (/sandbox) when HOST makes the server reachable from them. By default only this machine
   * (loopback addresses, Host 127.0.0.1 / localhost) may.
   */
  ORDERGRAM_SANDBOX_ALLOW_REMOTE: z.stringbool().default(false),
  /**
   * How long a claim on outbox rows, jobs and Telegram updates lasts without renewal (seconds).
   * An instance renews its claims every third of this while it works on them; when it dies,
   * another instance takes its work over once this has passed. Default: 10 on PostgreSQL, 120 on
   * SQLite (where a start-up takes a dead instance's work over at once). docs/crashes.md.
   */
  ORDERGRAM_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;
