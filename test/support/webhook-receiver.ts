import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "../../src/outbox/webhook-signature.js";

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; type: string; createdAt: string; timestamp: number; data: any };
}

/** The shop's side of the webhooks: a real HTTP server on 127.0.0.1 that records what arrives. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Status codes to answer with, in turn; 200 once they run out. */
  responses: number[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const rawBody = Buffer.concat(chunks).toString("utf8");
        const status = receiver.responses.shift() ?? 200;
        if (status < 300) receiver.received.push({ headers: req.headers, rawBody, body: JSON.parse(rawBody) });
        res.writeHead(status).end();
        for (const wake of receiver.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);
    return receiver;
  }

  ofType(type: string): ReceivedWebhook[] {
    return this.received.filter((w) => w.body.type === type);
  }

  /** Resolves with the first accepted webhook of this type (for this order, if given). */
  async waitFor(type: string, options: { orderId?: string; timeoutMs?: number } = {}): Promise<ReceivedWebhook> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    const match = () => this.received.find((w) => w.body.type === type && (!options.orderId || w.body.data?.order?.id === options.orderId));
    for (;;) {
      const found = match();
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no ${type} webhook within the timeout; received: ${this.received.map((w) => w.body.type).join(", ") || "none"}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Whether a webhook carries a valid signature for `secret`, checked at `now` (the app's clock). */
export const isSignedWebhook = (webhook: ReceivedWebhook, secret: string, now: Date): boolean =>
  verifyWebhookSignature({
    rawBody: webhook.rawBody,
    signatureHeader: String(webhook.headers["x-ordergram-signature"]),
    timestampHeader: String(webhook.headers["x-ordergram-timestamp"]),
    secret,
    now,
  });
