import type { Update } from "@grammyjs/types";

/** Update types a bot gets when it asks for none in particular (Bot API: allowed_updates). */
const DEFAULT_EXCLUDED = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export type UpdateBody = Omit<Update, "update_id">;
export type WaitOutcome = "ready" | "timeout" | "terminated" | "aborted";

/**
 * One bot's pending updates, as Telegram keeps them: increasing ids, kept until confirmed by a
 * later offset, filtered at creation time by the last allowed_updates the bot asked for.
 */
export class UpdateQueue {
  private pending: Update[] = [];
  private nextUpdateId: number;
  private allowed: Set<string> | undefined;
  private readonly waiters = new Set<(outcome: WaitOutcome) => void>();
  private poller: ((outcome: WaitOutcome) => void) | undefined;

  constructor(firstUpdateId = 1) {
    this.nextUpdateId = firstUpdateId;
  }

  /** Adds an update unless the bot filtered its type out; returns it with its id. */
  push(body: UpdateBody): Update | undefined {
    const type = Object.keys(body)[0];
    if (type === undefined || !this.accepts(type)) return undefined;
    const update = { update_id: this.nextUpdateId++, ...body };
    this.pending.push(update);
    for (const wake of [...this.waiters]) wake("ready");
    return update;
  }

  accepts(type: string): boolean {
    return this.allowed ? this.allowed.has(type) : !DEFAULT_EXCLUDED.has(type);
  }

  /** An empty list restores the default set, as in Telegram. */
  setAllowedUpdates(types: string[]): void {
    this.allowed = types.length === 0 ? undefined : new Set(types);
  }

  /** Forgets updates below `offset`; a negative offset keeps only the last -offset updates. */
  confirm(offset: number): void {
    if (offset < 0) {
      this.pending = this.pending.slice(Math.max(0, this.pending.length + offset));
    } else {
      this.pending = this.pending.filter((update) => update.update_id >= offset);
    }
  }

  peek(limit: number): Update[] {
    return this.pending.slice(0, limit);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  clear(): void {
    this.pending = [];
  }

  /**
   * Waits until an update is pending. A getUpdates long poll claims the queue: a newer poll
   * terminates the older one, which Telegram answers with 409.
   */
  wait(timeoutMs: number, signal: AbortSignal | undefined, claim: boolean): Promise<WaitOutcome> {
    if (claim && this.poller) this.poller("terminated");
    if (this.pending.length > 0) return Promise.resolve("ready");
    if (timeoutMs <= 0) return Promise.resolve("timeout");
    if (signal?.aborted) return Promise.resolve("aborted");
    return new Promise<WaitOutcome>((resolve) => {
      const finish = (outcome: WaitOutcome): void => {
        clearTimeout(timer);
        this.waiters.delete(finish);
        if (this.poller === finish) this.poller = undefined;
        signal?.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      const onAbort = (): void => finish("aborted");
      const timer = setTimeout(() => finish("timeout"), timeoutMs);
      this.waiters.add(finish);
      if (claim) this.poller = finish;
      signal?.addEventListener("abort", onAbort);
    });
  }

  /** Ends every wait, e.g. when the server shuts down. */
  releaseAll(): void {
    for (const wake of [...this.waiters]) wake("aborted");
  }
}
