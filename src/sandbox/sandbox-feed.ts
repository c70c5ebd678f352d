import { EventEmitter } from "node:events";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { TelegramStandin } from "../telegram-standin/index.js";
import { messageView, replyKeyboardView, type MessageView, type ReplyKeyboardView } from "./message-view.js";
import type { ReceivedWebhook, WebhookInbox } from "./webhook-inbox.js";

/** What the sandbox page hears live, one server-sent event each. */
export type SandboxEvent =
  | { type: "message"; change: "sent" | "edited" | "deleted"; view: MessageView }
  | { type: "keyboard"; chatKey: string; keyboard: ReplyKeyboardView | null }
  | { type: "topics"; chatId: number }
  | { type: "webhook"; webhook: ReceivedWebhook }
  | { type: "clock"; now: string; offsetMs: number }
  | { type: "customers" };

const pingEveryMs = 15_000;

/**
 * Turns what happens in the stand-in and the webhook inbox into one stream of events for the
 * page, and serves it as server-sent events. On shutdown it ends every open stream, so the HTTP
 * server can close (an open event stream would hold it open).
 */
export class SandboxFeed {
  private readonly emitter = new EventEmitter();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly streams = new Set<() => void>();
  private closed = false;

  constructor(standin: TelegramStandin, inbox: WebhookInbox) {
    this.emitter.setMaxListeners(0);
    this.unsubscribe.push(
      standin.events.on("message", (event) => {
        this.publish({ type: "message", change: event.change, view: messageView(event.message, event.chatKey, event.sender) });
        const record = standin.world.chats.get(event.chatKey);
        const userId = record?.privateUserId;
        if (userId !== undefined) {
          // The stand-in shows a reply keyboard just after storing the message that carries it.
          setImmediate(() =>
            this.publish({ type: "keyboard", chatKey: event.chatKey, keyboard: replyKeyboardView(record?.replyKeyboards.get(userId)) }),
          );
        }
      }),
      standin.events.on("api-call", (call) => {
        if (call.outcome.ok && /ForumTopic/.test(call.method) && typeof call.params.chat_id === "number") {
          this.publish({ type: "topics", chatId: call.params.chat_id });
        }
      }),
      inbox.onReceived((webhook) => this.publish({ type: "webhook", webhook })),
    );
  }

  publish(event: SandboxEvent): void {
    if (!this.closed) this.emitter.emit("event", event);
  }

  /** GET handler: an event stream that starts with `hello` (the page then loads the full state). */
  stream(c: Context): Response {
    if (this.closed) return c.json({ error: { code: "SHUTTING_DOWN", message: "The sandbox is stopping." } }, 503);
    return streamSSE(c, async (stream) => {
      let writing: Promise<unknown> = Promise.resolve();
      const send = (event: string, data: unknown) => {
        writing = writing.then(() => stream.writeSSE({ event, data: JSON.stringify(data) })).catch(() => undefined);
      };
      const listener = (event: SandboxEvent) => send(event.type, event);
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      this.emitter.on("event", listener);
      this.streams.add(end);
      stream.onAbort(() => end());
      send("hello", {});
      const ping = setInterval(() => send("ping", {}), pingEveryMs);
      await ended;
      clearInterval(ping);
      this.emitter.off("event", listener);
      this.streams.delete(end);
      await writing;
    });
  }

  /** Ends every open stream and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const end of [...this.streams]) end();
    for (const off of this.unsubscribe.splice(0)) off();
  }
}
