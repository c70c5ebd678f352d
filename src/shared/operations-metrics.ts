/**
 * What ordergram counts for the people who run it, as the code that sees a thing happen reports
 * it. Plain functions, so the services and the bot layer know nothing of Prometheus: the app
 * builds the one implementation (src/app/prometheus-metrics.ts) and hands it down with the
 * services' dependencies; tests that do not look at metrics get {@link noOperationsMetrics}.
 */
export interface OperationsMetrics {
  /** Telegram answered a call that sends or changes something, or the call never completed. */
  telegramCall(method: string, result: TelegramCallResult): void;
  /** A webhook delivery attempt failed; `final` when it is not retried any more. */
  webhookFailed(final: boolean): void;
  /** A customer's dialog step (a tap, a form's answer) begins: call what it returns with its outcome once it is answered. */
  dialogStep(command: string): (outcome: string) => void;
  /** A business event happened to an order (src/services/business-events.ts names them). */
  businessEvent(event: string): void;
}

/**
 * A Telegram call's result the way an operator reads it: ok, flood control (429), blocked or
 * removed (403), another refusal (4xx), Telegram's failure (5xx), the network, or none of these.
 */
export type TelegramCallResult = "ok" | "429" | "403" | "4xx" | "5xx" | "network" | "error";

export const noOperationsMetrics: OperationsMetrics = {
  telegramCall: () => {},
  webhookFailed: () => {},
  dialogStep: () => () => {},
  businessEvent: () => {},
};
