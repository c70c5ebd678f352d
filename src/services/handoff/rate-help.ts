import { answerHelpRating, findHandoff } from "../../db/handoff-repository.js";
import { appendOrderEvents } from "../../db/order-event-repository.js";
import { withTransaction } from "../../db/transaction.js";
import { isLowRating } from "../../domain/handoff.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { escalateChat } from "./escalate-chat.js";

export type RateHelpResult = { type: "thanks"; low: boolean } | { type: "already_rated" } | { type: "not_found" };

/** The customer rates the help they got; a low score sends the chat back to a person. */
export async function rateHelp(
  deps: ServiceDependencies,
  input: { handoffId: string; chatId: bigint; score: number },
): Promise<RateHelpResult> {
  const now = deps.clock.now();
  const result = await withTransaction(deps.db, async (tx): Promise<RateHelpResult> => {
    const handoff = await findHandoff(tx, input.handoffId);
    if (!handoff || handoff.chatId !== input.chatId) return { type: "not_found" };
    if (!(await answerHelpRating(tx, handoff.id, input.chatId, input.score, now))) return { type: "already_rated" };
    if (handoff.orderId) {
      await appendOrderEvents(tx, handoff.orderId, now, "customer", [
        { type: "customer.rated_help", data: { score: input.score, manager: handoff.managerName } },
      ]);
    }
    return { type: "thanks", low: isLowRating(input.score) };
  });
  if (result.type === "thanks" && result.low) {
    await escalateChat(deps, { chatId: input.chatId, reason: "low_rating", detail: `${input.score}/5` });
  }
  return result;
}
