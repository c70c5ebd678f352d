import { findHandoff, moveHandoff, type HandoffRecord } from "../../db/handoff-repository.js";
import { appendOrderEvents } from "../../db/order-event-repository.js";
import { withTransaction } from "../../db/transaction.js";
import { cancelJobs } from "../../scheduler/schedule-job.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { enqueueHandoffMessage } from "./handoff-intents.js";
import { handoffJobKinds } from "./handoff-job-kinds.js";
import type { Manager } from "./manager.js";

export type TakeResult =
  | { type: "taken"; handoff: HandoffRecord }
  /** Somebody was faster (or it is this manager's already). */
  | { type: "already_taken"; by: string; byYou: boolean }
  | { type: "ended" }
  | { type: "not_found" };

/**
 * A manager takes the chat. One guarded update decides races: of two managers tapping Take at
 * once, exactly one owns the chat; the other learns who has it. From now on only the owner's
 * messages in the topic reach the customer.
 */
export async function takeHandoff(deps: ServiceDependencies, input: { handoffId: string; manager: Manager }): Promise<TakeResult> {
  const now = deps.clock.now();
  const { manager } = input;
  const result = await withTransaction(deps.db, async (tx): Promise<TakeResult> => {
    const won = await moveHandoff(tx, input.handoffId, ["waiting"], {
      state: "taken",
      managerId: manager.id,
      managerName: manager.name,
      takenAt: now,
    });
    const handoff = await findHandoff(tx, input.handoffId);
    if (!handoff) return { type: "not_found" };
    if (!won) {
      if (handoff.state === "taken")
        return { type: "already_taken", by: handoff.managerName ?? "?", byYou: handoff.managerId === manager.id };
      return { type: "ended" };
    }
    if (handoff.orderId) {
      await appendOrderEvents(tx, handoff.orderId, now, `manager:${manager.id}`, [
        { type: "handoff.taken", data: { manager: manager.name } },
      ]);
      await cancelJobs(tx, { orderId: handoff.orderId, kinds: Object.values(handoffJobKinds), now, reason: "a manager took the chat" });
    }
    const key = `${handoff.id}:taken`;
    await enqueueHandoffMessage(
      tx,
      handoff.chatId,
      { kind: "handoff.notice", handoffId: handoff.id, what: "taken" },
      { key: `${key}:notice`, now, orderId: handoff.orderId },
    );
    const group = deps.config().managers.groupChatId;
    if (group !== null)
      await enqueueHandoffMessage(
        tx,
        group,
        { kind: "handoff.card", handoffId: handoff.id },
        { key: `${key}:card`, now, orderId: handoff.orderId },
      );
    return { type: "taken", handoff };
  });
  if (result.type === "taken") deps.outbox.kick();
  return result;
}
