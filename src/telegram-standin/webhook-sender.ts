import type { UpdateQueue } from "./update-queue.js";

export interface WebhookSettings {
  url: string;
  secretToken: string | undefined;
  maxConnections: number;
  allowedUpdates: string[] | undefined;
  ipAddress: string | undefined;
}

export interface WebhookSenderOptions {
  /** Pauses between failed attempts; the last one repeats. */
  retryDelaysMs: number[];
  nowSeconds: () => number;
  /** A webhook response may itself be a Bot API call ("webhook reply"); the stand-in runs it. */
  onReply: (call: Record<string, unknown>) => void;
}

/**
 * Delivers a bot's updates to its webhook one at a time, in order, as Telegram does: an update
 * leaves the queue only after a 2xx answer; failures are retried with growing pauses and
 * reported through getWebhookInfo.
 */
export class WebhookSender {
  lastErrorDate: number | undefined;
  lastErrorMessage: string | undefined;
  private running = true;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    readonly settings: WebhookSettings,
    private readonly queue: UpdateQueue,
    private readonly options: WebhookSenderOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopController.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      const [update] = this.queue.peek(1);
      if (!update) {
        await this.queue.wait(60_000, this.stopController.signal, false);
        continue;
      }
      const error = await this.deliver(update);
      if (!this.running) return;
      if (error === undefined) {
        this.queue.confirm(update.update_id + 1);
        attempt = 0;
        continue;
      }
      this.lastErrorDate = this.options.nowSeconds();
      this.lastErrorMessage = error;
      const delays = this.options.retryDelaysMs;
      const delay = delays[Math.min(attempt, delays.length - 1)] ?? 1000;
      attempt++;
      await sleep(delay, this.stopController.signal);
    }
  }

  /** Returns the error text Telegram would show in last_error_message, or undefined on success. */
  private async deliver(update: unknown): Promise<string | undefined> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.settings.secretToken !== undefined) {
      headers["x-telegram-bot-api-secret-token"] = this.settings.secretToken;
    }
    try {
      const response = await fetch(this.settings.url, {
        method: "POST",
        headers,
        body: JSON.stringify(update),
        signal: AbortSignal.any([this.stopController.signal, AbortSignal.timeout(60_000)]),
      });
      const text = await response.text();
      if (!response.ok) return `Wrong response from the webhook: ${response.status} ${response.statusText}`;
      this.runReply(response.headers.get("content-type"), text);
      return undefined;
    } catch (error) {
      if (!this.running) return undefined;
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      return `Connection failed: ${cause}`;
    }
  }

  private runReply(contentType: string | null, text: string): void {
    if (!contentType?.includes("application/json") || text === "") return;
    try {
      const body: unknown = JSON.parse(text);
      if (typeof body === "object" && body !== null && typeof (body as { method?: unknown }).method === "string") {
        this.options.onReply(body as Record<string, unknown>);
      }
    } catch {
      // Telegram ignores webhook answers it cannot read.
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
