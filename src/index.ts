/** The package's entry point: `import { createOrdergram } from "ordergram"`. */
export { createOrdergram, type Ordergram, type OrdergramOptions } from "./ordergram.js";
export { loadConfig, ConfigError, type Config } from "./config/load-config.js";
export { verifyWebhookSignature, signWebhookBody } from "./outbox/webhook-signature.js";
export type { Clock } from "./shared/clock.js";
