import { EventEmitter } from "node:events";
import type { Chat, Message, ResponseParameters, Update } from "@grammyjs/types";

export type ApiCallOutcome =
  { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

/** One Bot API request as the stand-in answered it. */
export interface ApiCallEvent {
  /** Undefined when the token matched no bot (the call was answered 401). */
  botId: number | undefined;
  method: string;
  /** Parameters after spec checking; uploaded files appear as `{ file: name, size }`. */
  params: Record<string, unknown>;
  outcome: ApiCallOutcome;
  at: Date;
  durationMs: number;
}

export interface UpdateEvent {
  botId: number;
  update: Update;
}

export type MessageSender = { kind: "bot"; botId: number } | { kind: "user"; userId: number } | { kind: "service" };

/** A change in a chat, for anything that renders chats (the sandbox UI, test users). */
export interface ChatMessageEvent {
  change: "sent" | "edited" | "deleted";
  chatKey: string;
  chat: Chat;
  message: Message;
  sender: MessageSender;
}

export interface StandinEventMap {
  "api-call": ApiCallEvent;
  update: UpdateEvent;
  message: ChatMessageEvent;
}

/** A typed event stream of everything that happens inside the stand-in. */
export class StandinEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Test users and UIs subscribe freely; the default limit of 10 would only produce noise.
    this.emitter.setMaxListeners(0);
  }

  /** Subscribes and returns the unsubscribe function. */
  on<K extends keyof StandinEventMap>(name: K, listener: (event: StandinEventMap[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  emit<K extends keyof StandinEventMap>(name: K, event: StandinEventMap[K]): void {
    this.emitter.emit(name, event);
  }
}
