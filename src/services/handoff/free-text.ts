import { readUnusableCount, rememberCustomerText, writeUnusableCount } from "../../db/handoff-repository.js";
import { findOpenOrdersInChat } from "../../db/order-repository.js";
import { withTransaction } from "../../db/transaction.js";
import { decideFreeText } from "../../domain/handoff.js";
import type { ServiceDependencies } from "../service-dependencies.js";
import { escalateChat } from "./escalate-chat.js";

export type FreeTextResult = { type: "escalated" } | { type: "not_understood" };

/**
 * A text no flow could use (the dialog's current step expects a button, or nothing). A word the
 * owner listed ("complaint") sends the chat to a person at once; so does the configured number of
 * such texts in a row (the dialog unchanged in between). Until then the bot says it did not
 * understand.
 */
export async function handleUnusableText(deps: ServiceDependencies, input: { chatId: bigint; text: string }): Promise<FreeTextResult> {
  const { managers } = deps.config();
  const decision = await withTransaction(deps.db, async (tx) => {
    const open = await findOpenOrdersInChat(tx, input.chatId);
    const mark = open.map((record) => `${record.order.id}:${record.dialog.version}`).join(",") || "none";
    const decided = decideFreeText(input.text, await readUnusableCount(tx, input.chatId), mark, {
      keywords: managers.keywords,
      limit: managers.unusableTextsBeforeEscalation,
    });
    const group = deps.config().managers.groupChatId ?? 0n;
    await writeUnusableCount(tx, input.chatId, group, decided.counter);
    // The card shows the customer's last words: what the bot could not use is often why.
    await rememberCustomerText(tx, input.chatId, group, input.text, deps.clock.now());
    return decided;
  });
  if (decision.type === "not_understood") return { type: "not_understood" };
  await escalateChat(deps, {
    chatId: input.chatId,
    reason: decision.reason,
    detail: decision.reason === "keyword" ? decision.keyword : input.text.slice(0, 200),
  });
  return { type: "escalated" };
}
