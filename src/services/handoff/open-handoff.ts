import {
  ensureSupportTopic,
  findActiveHandoff,
  insertHandoff,
  lockChatForHandoff,
  type HandoffRecord,
} from "../../db/handoff-repository.js";
import { findOrder } from "../../db/order-repository.js";
import type { Tx } from "../../db/transaction.js";
import { customerHearsOfHandoff, isBotInitiated, repingDueAt, workingContactHours, type EscalationReason } from "../../domain/handoff.js";
import type { DialogStep } from "../../domain/order-dialog.js";
import { scheduleJob } from "../../scheduler/schedule-job.js";
import { automaticSendTime } from "../contact-time.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";
import { handoffJobKinds } from "./handoff-job-kinds.js";

export type OpenHandoffResult = { type: "opened"; handoff: HandoffRecord } | { type: "already_open"; handoff: HandoffRecord };

/**
 * Hands a customer's chat to the managers, inside the caller's transaction (the one that changed
 * the dialog, so the escalation and its messages commit together or not at all):
 * - the handoff is recorded as "waiting" with the step the dialog was at (hand back resumes it);
 * - from then on the chat's owner is "waiting_manager" (it follows from the open handoff), so
 *   nothing automatic talks over a person;
 * - the managers' group gets the card in the customer's topic, the customer hears when a person
 *   will answer, and the "nobody took it" timer starts.
 * A chat that is already with people stays as it is ("already_open").
 */
export async function openHandoffInTransaction(
  tx: Tx,
  deps: ServiceDependencies,
  input: { chatId: bigint; orderId: string | null; reason: EscalationReason; detail?: string | null; now: Date },
): Promise<OpenHandoffResult> {
  await lockChatForHandoff(tx, input.chatId, input.now);
  const active = await findActiveHandoff(tx, input.chatId);
  if (active) return { type: "already_open", handoff: active };
  const { now } = input;
  const order = input.orderId ? await findOrder(tx, input.orderId) : null;
  const resumeStep: DialogStep | null = order ? order.dialog.step : null;
  const handoff = await insertHandoff(tx, {
    chatId: input.chatId,
    orderId: input.orderId,
    reason: input.reason,
    detail: input.detail ?? null,
    resumeStep,
    now,
  });

  const group = deps.config().managers.groupChatId;
  const orderId = input.orderId;
  if (group !== null) {
    await ensureSupportTopic(tx, input.chatId, group);
    await enqueueHandoffMessage(tx, group, { kind: "handoff.card", handoffId: handoff.id }, { key: `${handoff.id}:card`, now, orderId });
  }
  // An unreachable customer cannot be told anything; a manager who opened it speaks for themself.
  // In answer to the customer it goes at once; when the bot hands over on its own, it waits for
  // contact hours and follows what is queued for the chat (the apology it explains).
  if (customerHearsOfHandoff(input.reason)) {
    const automatic = isBotInitiated(input.reason)
      ? { notBefore: await automaticSendTime(tx, deps, { chatId: input.chatId, now }), withinContactHours: true }
      : {};
    await enqueueHandoffMessage(
      tx,
      input.chatId,
      { kind: "handoff.notice", handoffId: handoff.id, what: "opened" },
      { key: `${handoff.id}:notice:opened`, now, orderId, ...automatic },
    );
  }
  if (group !== null && input.reason !== "manager_initiated") await scheduleNobodyTookIt(tx, deps, handoff, 1, now);
  return { type: "opened", handoff };
}

/**
 * The next check of "has anybody taken it": a re-ping while `n` is within the configured
 * count, then the honest update to the customer. Counted in working time.
 */
export async function scheduleNobodyTookIt(
  tx: Tx,
  deps: ServiceDependencies,
  handoff: HandoffRecord,
  n: number,
  from: Date,
): Promise<void> {
  const config = deps.config();
  const { afterMinutes, times } = config.managers.reping;
  const dueAt = repingDueAt(from, afterMinutes, workingContactHours(config.managers.workingHours), config.shop.timeZone);
  const kind = n <= times ? handoffJobKinds.reping : handoffJobKinds.unanswered;
  await scheduleJob(tx, {
    kind,
    dueAt,
    dedupeKey: `${kind}:${handoff.id}:${n}`,
    ...(handoff.orderId ? { orderId: handoff.orderId } : {}),
    payload: { handoffId: handoff.id, n },
    now: from,
  });
}
