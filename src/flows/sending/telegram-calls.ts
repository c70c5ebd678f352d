import type { Api } from "grammy";
import type { Skip } from "../../shared/skip-reason.js";
import { classifyTelegramError } from "../../telegram/telegram-error.js";
import type { SenderDependencies } from "./sender-dependencies.js";
import { intoTopic, showCard } from "../handoff/managers-topic.js";
import { callTelegram } from "./call-telegram.js";

type SendOptions = Parameters<Api["sendMessage"]>[2];
type CopyOptions = Parameters<Api["copyMessage"]>[3];
type EditTextOptions = Parameters<Api["editMessageText"]>[3];
type EditCaptionOptions = Parameters<Api["editMessageCaption"]>[2];

/**
 * What an intent kind's render asks Telegram to do, as data; `runTelegramCalls` makes the calls.
 * The sequences that depend on Telegram's answer are written here once: an edit that changes
 * nothing is done, an edit of a message that is gone does `ifGone` instead (other calls, or a
 * skip), and calls `inTopic` go into the customer's topic in the managers' group, which is
 * created, reopened or recreated as needed (see managers-topic.ts).
 */
export type TelegramCall =
  | { method: "sendMessage"; chatId: bigint; text: string; options?: SendOptions }
  | { method: "copyMessage"; chatId: bigint; fromChatId: bigint; messageId: number; options?: CopyOptions }
  | { method: "editMessageText"; chatId: bigint; messageId: number; text: string; options?: EditTextOptions; ifGone: TelegramCall[] | Skip }
  | { method: "editMessageCaption"; chatId: bigint; messageId: number; options: EditCaptionOptions; ifGone: TelegramCall[] | Skip }
  /** Closing a topic that is closed or gone already is done. */
  | { method: "closeForumTopic"; chatId: bigint; threadId: number }
  /** Renaming a topic to the name it has is done; a topic that is gone is skipped (a new one is named when it is made). */
  | { method: "editForumTopic"; chatId: bigint; threadId: number; name: string }
  /** The calls, in the customer's topic (sends get its thread); `isCard`: they show that handoff's card. */
  | { method: "inTopic"; customerChatId: bigint; calls: TelegramCall[]; isCard?: string }
  /** The handoff's card, sent into the topic or edited where it is (only inside `inTopic`). */
  | { method: "handoffCard"; handoffId: string }
  /** The order's dialog message: sent or edited, and recorded, by the presenter (src/flows/confirmation). */
  | { method: "orderDialog"; show: (api: Api) => Promise<unknown> };

/** What went out: the messages sent (or copied), in the order of the calls. */
export interface Sent {
  messageIds: number[];
}

export const isSkip = (value: unknown): value is Skip => typeof value === "object" && value !== null && "skipped" in value;

/** Runs a kind's calls in order; a skip met on the way (a copy that is gone) ends the run. */
export async function runTelegramCalls(api: Api, deps: SenderDependencies, calls: TelegramCall[], threadId?: number): Promise<Sent | Skip> {
  const sent: Sent = { messageIds: [] };
  const inThread = threadId === undefined ? {} : { message_thread_id: threadId };
  for (const call of calls) {
    switch (call.method) {
      case "sendMessage": {
        const message = await callTelegram(call.chatId, () =>
          api.sendMessage(Number(call.chatId), call.text, { ...call.options, ...inThread }),
        );
        sent.messageIds.push(message.message_id);
        break;
      }
      case "copyMessage": {
        const copy = await callTelegram(call.chatId, () =>
          api.copyMessage(Number(call.chatId), Number(call.fromChatId), call.messageId, { ...call.options, ...inThread }),
        );
        sent.messageIds.push(copy.message_id);
        break;
      }
      case "editMessageText":
      case "editMessageCaption": {
        const edited = await edit(call);
        if (edited === "gone") {
          if (isSkip(call.ifGone)) return call.ifGone;
          const after = await runTelegramCalls(api, deps, call.ifGone, threadId);
          if (isSkip(after)) return after;
          sent.messageIds.push(...after.messageIds);
        }
        break;
      }
      case "closeForumTopic":
        await callTelegram(call.chatId, () => api.closeForumTopic(Number(call.chatId), call.threadId)).catch((error: unknown) => {
          const { type } = classifyTelegramError(error);
          if (type !== "not_modified" && type !== "thread_gone") throw error;
        });
        break;
      case "editForumTopic": {
        const renamed = await callTelegram(call.chatId, () => api.editForumTopic(Number(call.chatId), call.threadId, { name: call.name }))
          .then(() => true)
          .catch((error: unknown) => {
            const { type } = classifyTelegramError(error);
            if (type === "not_modified") return true;
            if (type === "thread_gone") return false;
            throw error;
          });
        if (!renamed) return { skipped: "the topic is gone" };
        break;
      }
      case "inTopic": {
        const options = call.isCard === undefined ? {} : { isCard: call.isCard };
        const inTopic = await intoTopic(
          api,
          deps,
          call.customerChatId,
          (topicThreadId) => runTelegramCalls(api, deps, call.calls, topicThreadId),
          options,
        );
        if (isSkip(inTopic)) return inTopic;
        sent.messageIds.push(...inTopic.messageIds);
        break;
      }
      case "handoffCard": {
        if (threadId === undefined) throw new Error("a handoff card is shown only in the customer's topic");
        const shown = await showCard(api, deps, call.handoffId, threadId, false);
        if (isSkip(shown)) return shown;
        break;
      }
      case "orderDialog":
        await call.show(api);
        break;
    }
  }
  return sent;

  /** An edit: "done" also when it would change nothing; "gone" when the message is. */
  async function edit(call: Extract<TelegramCall, { method: "editMessageText" | "editMessageCaption" }>): Promise<"done" | "gone"> {
    try {
      await callTelegram(call.chatId, () =>
        call.method === "editMessageText"
          ? api.editMessageText(Number(call.chatId), call.messageId, call.text, call.options)
          : api.editMessageCaption(Number(call.chatId), call.messageId, call.options),
      );
      return "done";
    } catch (error) {
      const { type } = classifyTelegramError(error);
      if (type === "not_modified") return "done";
      if (type === "message_gone") return "gone";
      throw error;
    }
  }
}
