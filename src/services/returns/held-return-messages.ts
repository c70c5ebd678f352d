import { z } from "zod";
import { ensureSupportTopic, findActiveHandoff, moveHandoff } from "../../db/handoff-repository.js";
import { appendOrderEvents } from "../../db/order-event-repository.js";
import { withTransaction, type Tx } from "../../db/transaction.js";
import { enqueueOutbox } from "../../outbox/enqueue-outbox.js";
import { automaticSendTime } from "../contact-time.js";
import { enqueueHandoffMessage } from "../handoff/handoff-intents.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import type { ReturnIntent } from "./return-intent.js";

/**
 * The shop's news about a return while a person has the customer's chat (waiting for a manager,
 * or taken): the bot does not talk over the person. The message is held, recorded in the order's
 * history as `return.message_held`, and the managers read it in the customer's topic (to pass it
 * on themselves if they like); when the chat is the bot's again (handed back or closed) it goes
 * out as it would have, within contact hours.
 */
export const heldReturnMessageEvent = "return.message_held";

const heldSchema = z.object({ returnId: z.string().min(1), seq: z.int().min(1), handoffId: z.string().min(1) });

export type HoldResult = { type: "held"; handoffId: string } | { type: "bot_has_chat" };

export async function holdReturnMessageIfWithPerson(
  deps: ServiceDependencies,
  input: { chatId: bigint; orderId: string; intent: ReturnIntent; managersNote: Record<string, string> },
): Promise<HoldResult> {
  const now = deps.clock.now();
  const { returnId, seq } = input.intent;
  const result = await withTransaction(deps.db, async (tx): Promise<HoldResult> => {
    const handoff = await findActiveHandoff(tx, input.chatId);
    if (!handoff) return { type: "bot_has_chat" };
    // A guarded write on the handoff's row: a hand back committing at the same moment either
    // ended it first (nothing matches: the message goes out now) or waits for this transaction
    // and then finds the hold below to release.
    if (!(await moveHandoff(tx, handoff.id, ["waiting", "taken"], { pings: { increment: 0 } }))) return { type: "bot_has_chat" };
    const earlier = await tx.orderEvent.findMany({
      where: { orderId: input.orderId, type: heldReturnMessageEvent },
      select: { data: true },
    });
    const already = earlier.some((event) => {
      const data = heldSchema.safeParse(event.data);
      return data.success && data.data.returnId === returnId && data.data.seq === seq && data.data.handoffId === handoff.id;
    });
    if (!already)
      await appendOrderEvents(tx, input.orderId, now, "bot", [
        { type: heldReturnMessageEvent, data: { returnId, seq, handoffId: handoff.id } },
      ]);
    const group = deps.config().managers.groupChatId;
    if (group !== null) {
      await ensureSupportTopic(tx, input.chatId, group);
      await enqueueHandoffMessage(
        tx,
        group,
        {
          kind: "handoff.topic_text",
          customerChatId: String(input.chatId),
          key: "returns.managers.statusHeld",
          params: input.managersNote,
        },
        { key: `return:${returnId}:status:${seq}:held:${handoff.id}`, now, orderId: input.orderId },
      );
    }
    return { type: "held", handoffId: handoff.id };
  });
  if (result.type === "held") deps.outbox.kick();
  return result;
}

/**
 * Listens to the chat coming back to the bot (handoff/hand-back-listeners.ts: hand back and
 * close), in the transaction that ends the handoff: every held message of the chat is queued again, in the order the shop sent them. Each
 * hold is released once (idempotency key per hold). Returns how many were queued.
 */
export async function releaseHeldReturnMessages(
  tx: Tx,
  deps: Pick<ServiceDependencies, "config">,
  input: { chatId: bigint; now: Date },
): Promise<number> {
  const held = await tx.orderEvent.findMany({
    where: { type: heldReturnMessageEvent, order: { chatId: input.chatId } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { orderId: true, data: true },
  });
  if (held.length === 0) return 0;
  const notBefore = await automaticSendTime(tx, deps, { chatId: input.chatId, now: input.now });
  let queued = 0;
  for (const event of held) {
    const data = heldSchema.safeParse(event.data);
    if (!data.success) continue;
    const { returnId, seq, handoffId } = data.data;
    const intent: ReturnIntent = { kind: "return.status", returnId, seq };
    const { enqueued } = await enqueueOutbox(
      tx,
      { channel: "telegram", chatId: input.chatId, orderId: event.orderId, intent },
      { idempotencyKey: `return:${returnId}:status:${seq}:after:${handoffId}`, now: input.now, notBefore },
    );
    if (enqueued) queued++;
  }
  return queued;
}
