import type { Api } from "grammy";
import type { z } from "zod";
import { describeIssues } from "../../shared/describe-issues.js";
import { DeliveryError } from "../../outbox/delivery-error.js";
import type { Skip } from "../../shared/skip-reason.js";
import type { SenderDependencies } from "./sender-dependencies.js";
import { isSkip, runTelegramCalls, type Sent, type TelegramCall } from "./telegram-calls.js";

/**
 * How a kind (or a family of kinds that share most of it) of automatic message is sent, from the
 * state as it is when its time comes:
 * - `read`: the read model, through the services (a skip when what it is about is gone);
 * - `stillApplies`: a skip when the message no longer applies, else null;
 * - `render`: the Telegram calls to make, as data (or a skip found while rendering);
 * - `afterSend`: the bookkeeping once Telegram accepted them, through the services. It must not
 *   fail the delivery (the outbox would send the message again): its errors are logged.
 * Senders never write state themselves.
 */
export interface KindSpec<I, M> {
  read(deps: SenderDependencies, intent: I): Promise<M | Skip>;
  stillApplies(model: M, intent: I): Skip | null;
  render(model: M, intent: I, deps: SenderDependencies): Promise<TelegramCall[] | Skip> | TelegramCall[] | Skip;
  afterSend?(context: { api: Api; deps: SenderDependencies }, model: M, intent: I, sent: Sent): Promise<void>;
}

/** Zod's issues on one line, for the row's lastError: "n: Invalid input: expected number, received string". */
const issuesOf = (error: z.ZodError): string =>
  describeIssues(error)
    .map(({ path, message }) => `${path}: ${message}`)
    .join("; ");

/** A skip, typed as one (so a read's model type is inferred without it). */
export const skip = (skipped: string): Skip => ({ skipped });

/** One kind as the registry holds it: its schema, and how a stored payload of it is delivered. */
export interface IntentKind {
  kind: string;
  schema: z.ZodType;
  /** Parses the payload (a permanent failure when it does not match) and sends it. */
  deliver(api: Api, deps: SenderDependencies, payload: unknown): Promise<void | Skip>;
}

/** The registry entries of a family: one per schema, sharing the family's spec. */
export function defineKinds<I extends { kind: string }, M>(schemas: Record<string, z.ZodType<I>>, spec: KindSpec<I, M>): IntentKind[] {
  return Object.entries(schemas).map(([kind, schema]) => ({
    kind,
    schema,
    async deliver(api, deps, payload) {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new DeliveryError("permanent", `intent ${kind} does not match its schema: ${issuesOf(parsed.error)}`);
      const intent = parsed.data;
      const model = await spec.read(deps, intent);
      if (isSkip(model)) return model;
      const stale = spec.stillApplies(model, intent);
      if (stale) return stale;
      const calls = await spec.render(model, intent, deps);
      if (isSkip(calls)) return calls;
      const sent = await runTelegramCalls(api, deps, calls);
      if (isSkip(sent)) return sent;
      if (!spec.afterSend) return;
      try {
        await spec.afterSend({ api, deps }, model, intent, sent);
      } catch (error) {
        deps.services.logger.error({ err: error, kind }, "a message went out but could not be recorded");
      }
    },
  }));
}
