import { dialogAnswerKinds } from "../flows/confirmation/dialog-answer-sender.js";
import { readBackKinds } from "../flows/confirmation/read-back-sender.js";
import { handoffKinds } from "../flows/handoff/handoff-sender.js";
import { notificationKinds } from "../flows/notifications/notification-sender.js";
import { returnKinds } from "../flows/returns/return-sender.js";
import type { IntentKind } from "../flows/sending/intent-kind.js";

/**
 * Every kind of message the bot sends on its own through the outbox, by `kind`. A new kind is
 * added here, with its schema in src/services and its sender beside its flow.
 */
export const intentRegistry: ReadonlyMap<string, IntentKind> = registryOf([
  ...readBackKinds,
  ...dialogAnswerKinds,
  ...notificationKinds,
  ...handoffKinds,
  ...returnKinds,
]);

function registryOf(kinds: IntentKind[]): ReadonlyMap<string, IntentKind> {
  const byKind = new Map<string, IntentKind>();
  for (const kind of kinds) {
    if (byKind.has(kind.kind)) throw new Error(`intent kind ${kind.kind} is registered twice`);
    byKind.set(kind.kind, kind);
  }
  return byKind;
}
