import {
  findHandoff,
  insertHelpRating,
  moveHandoff,
  setDialogStep,
  setTopicClosed,
  type HandoffRecord,
} from "../../db/handoff-repository.js";
import { customerUnreachableSince } from "../../db/customer-repository.js";
import { appendOrderEvents } from "../../db/order-event-repository.js";
import { findOpenOrdersInChat, saveDecision, type OrderRecord } from "../../db/order-repository.js";
import { withTransaction, type Tx } from "../../db/transaction.js";
import { customerHearsOfHandoff, resumeChoices, resumeCommands, type ResumeChoice } from "../../domain/handoff.js";
import { decide } from "../../domain/order-dialog.js";
import { dialogRules, dialogSettingsOf } from "../dialog-settings.js";
import { cancelJobs } from "../../scheduler/schedule-job.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { emitChatBackWithBot } from "./hand-back-listeners.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";
import { handoffJobKinds } from "./handoff-job-kinds.js";
import type { Manager } from "./manager.js";

export type EndHow = { type: "hand_back"; resume: ResumeChoice } | { type: "close" };

export type EndResult = { type: "ended"; handoff: HandoffRecord } | { type: "already_ended" } | { type: "not_found" };

/**
 * A manager hands the chat back to the bot, or closes it. Either way the chat is the bot's again
 * once the handoff has ended, so automatic messages resume, and the customer hears so in one true
 * line in their language: "<manager> has finished helping you; I am here again", or, when nobody
 * took the chat before it was closed, that the request was closed (the shop's words:
 * `handoff.customer.handedBack`, `handedBackSettled`, `closedUnanswered`). Then the bot shows each
 * open order's dialog where it stopped.
 * - Hand back: the escalated order's dialog may resume at a step the manager picked (the read-back,
 *   the delivery, the address); then the bot asks how the help was.
 * - Close: the topic is closed too; no rating is asked.
 * A customer Telegram reports unreachable is not written to (it could only fail again), nor one
 * who never heard of a handoff nobody took (it opened because they were unreachable, or a manager
 * opened it).
 */
export async function endHandoff(
  deps: ServiceDependencies,
  input: { handoffId: string; manager: Manager; how: EndHow },
): Promise<EndResult> {
  const now = deps.clock.now();
  const { manager, how } = input;
  const result = await withTransaction(deps.db, async (tx): Promise<EndResult> => {
    const before = await findHandoff(tx, input.handoffId);
    if (!before) return { type: "not_found" };
    const endedHow = how.type === "close" ? "closed" : "handed_back";
    if (!(await moveHandoff(tx, before.id, ["waiting", "taken"], { state: "ended", endedHow, endedBy: manager.id, endedAt: now }))) {
      return { type: "already_ended" };
    }
    const handoff = (await findHandoff(tx, before.id))!;
    const orderId = handoff.orderId;
    if (orderId) {
      await appendOrderEvents(tx, orderId, now, `manager:${manager.id}`, [
        { type: `handoff.${endedHow}`, data: { manager: manager.name, ...(how.type === "hand_back" ? { resume: how.resume } : {}) } },
      ]);
      await cancelJobs(tx, { orderId, kinds: Object.values(handoffJobKinds), now, reason: `the chat was ${endedHow.replace("_", " ")}` });
    }
    const key = `${handoff.id}:${endedHow}`;
    const group = deps.config().managers.groupChatId;
    if (group !== null)
      await enqueueHandoffMessage(tx, group, { kind: "handoff.card", handoffId: handoff.id }, { key: `${key}:card`, now, orderId });

    if (how.type === "close" && group !== null) {
      await setTopicClosed(tx, handoff.chatId, true);
      await enqueueHandoffMessage(
        tx,
        group,
        { kind: "handoff.close_topic", customerChatId: String(handoff.chatId) },
        { key: `${key}:topic`, now, orderId },
      );
    }
    // Told only what they can receive, and only about a handoff they knew of (or a person who helped).
    const knewOfIt = handoff.managerId !== null || customerHearsOfHandoff(handoff.reason);
    const tellCustomer = knewOfIt && (await customerUnreachableSince(tx, handoff.chatId)) === null;
    if (tellCustomer)
      await enqueueHandoffMessage(
        tx,
        handoff.chatId,
        { kind: "handoff.notice", handoffId: handoff.id, what: endedHow },
        { key: `${key}:notice`, now, orderId },
      );
    // The escalated order last, so the step the customer goes on with is the newest message.
    const open = (await findOpenOrdersInChat(tx, handoff.chatId)).sort(
      (a, b) => Number(a.order.id === orderId) - Number(b.order.id === orderId),
    );
    for (const record of open) {
      if (record.order.id === orderId && how.type === "hand_back") await resumeAt(tx, deps, record, how.resume, now);
      if (tellCustomer)
        await enqueueHandoffMessage(
          tx,
          handoff.chatId,
          { kind: "handoff.dialog", orderId: record.order.id, how: "resume" },
          { key: `${key}:dialog:${record.order.id}`, now, orderId: record.order.id },
        );
    }
    // What reacts to the chat being the bot's again (src/services/handoff/hand-back-listeners.ts),
    // after the dialogs it resumed and before the rating question.
    await emitChatBackWithBot(tx, deps, { handoff, now });
    if (how.type === "hand_back" && tellCustomer && handoff.managerId !== null) {
      await insertHelpRating(tx, handoff, now);
      await enqueueHandoffMessage(
        tx,
        handoff.chatId,
        { kind: "handoff.rating", handoffId: handoff.id },
        { key: `${key}:rating`, now, orderId },
      );
    }
    return { type: "ended", handoff };
  });
  if (result.type === "ended") deps.outbox.kick();
  return result;
}

/**
 * Puts the escalated order's dialog at the step the manager picked. The delivery and the address
 * open through the customer's own commands, so the dialog's rules decide (a delivery the shop
 * fixed is not reopened); a step that no longer makes sense leaves the dialog where it stopped.
 */
async function resumeAt(tx: Tx, deps: ServiceDependencies, record: OrderRecord, choice: ResumeChoice, now: Date): Promise<void> {
  if (choice === "where_stopped") return;
  if (choice === "read_back") {
    await setDialogStep(tx, record.order.id, { name: "read_back" });
    return;
  }
  const rules = dialogRules(dialogSettingsOf(record, deps));
  if (!resumeChoices(record.order, rules).includes(choice)) return;
  const decision = decide(record.order, record.dialog, resumeCommands[choice], { rules, now });
  if (decision.type === "accepted") await saveDecision(tx, record.dialog.version, decision.order, decision.dialog);
}
