import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WEBHOOK_HEADERS, verifyWebhookSignature } from "../outbox/webhook-signature.js";
import type { Clock } from "../shared/clock.js";

/** A webhook as the shop would have received it, with the check a shop should make. */
export interface ReceivedWebhook {
  /** Arrival order, from 1. */
  seq: number;
  receivedAt: string;
  event: string | null;
  delivery: string | null;
  /** The signature matches the body under the sandbox's secret, and the signed timestamp is the header's. */
  signatureValid: boolean;
  /**
   * Seconds between the signed timestamp and the sandbox clock on arrival. A shop refuses more than
   * a few minutes (replays); in the sandbox it grows when the clock is moved while a webhook is in
   * flight, so it is shown apart from the signature.
   */
  skewSeconds: number | null;
  /** The parsed body, or the raw text when it is not JSON. */
  body: unknown;
}

/** Enough to scroll back through a long session; older ones are dropped. */
const keep = 500;
const maxBodyBytes = 1024 * 1024;

/**
 * The shop's end of the webhooks in sandbox mode: an HTTP receiver on loopback that ordergram's
 * outbox posts to (the sandbox points ORDERGRAM_WEBHOOK_URL here). It records every delivery and
 * checks its signature as the shop's system would, on the sandbox clock (the timestamp ordergram
 * signs is that clock's).
 */
export class WebhookInbox {
  private readonly emitter = new EventEmitter();
  private readonly items: ReceivedWebhook[] = [];
  private seq = 0;
  /** The secret ordergram signs with; set once the app's configuration is known. */
  private secret = "";

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.emitter.setMaxListeners(0);
  }

  static async start(options: { clock: Clock; host?: string }): Promise<WebhookInbox> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size <= maxBodyBytes) chunks.push(chunk);
      });
      req.on("end", () => {
        if (req.method !== "POST" || size > maxBodyBytes) {
          res.writeHead(req.method !== "POST" ? 405 : 413).end();
          return;
        }
        const rawBody = Buffer.concat(chunks).toString("utf8");
        const header = (name: string) => {
          const value = req.headers[name.toLowerCase()];
          return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
        };
        let body: unknown = rawBody;
        try {
          body = JSON.parse(rawBody);
        } catch {
          // Kept as text: the page shows what arrived.
        }
        const now = options.clock.now();
        const timestampHeader = header(WEBHOOK_HEADERS.timestamp);
        const timestamp = timestampHeader && /^\d{1,12}$/.test(timestampHeader) ? Number(timestampHeader) : null;
        inbox.record({
          receivedAt: now.toISOString(),
          event: header(WEBHOOK_HEADERS.event),
          delivery: header(WEBHOOK_HEADERS.delivery),
          // Checked as of the signed moment: freshness is reported on its own (skewSeconds).
          signatureValid:
            timestamp !== null &&
            verifyWebhookSignature({
              rawBody,
              signatureHeader: header(WEBHOOK_HEADERS.signature),
              timestampHeader,
              secret: inbox.secret,
              now: new Date(timestamp * 1000),
            }),
          skewSeconds: timestamp === null ? null : Math.round(now.getTime() / 1000 - timestamp),
          body,
        });
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, options.host ?? "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const inbox = new WebhookInbox(server, `http://127.0.0.1:${port}/shop-webhooks`);
    return inbox;
  }

  useSecret(secret: string): void {
    this.secret = secret;
  }

  /** Newest last. */
  list(): ReceivedWebhook[] {
    return [...this.items];
  }

  /** Calls back for every webhook that arrives; returns the unsubscribe function. */
  onReceived(listener: (webhook: ReceivedWebhook) => void): () => void {
    this.emitter.on("received", listener);
    return () => this.emitter.off("received", listener);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private record(webhook: Omit<ReceivedWebhook, "seq">): void {
    const item = { seq: ++this.seq, ...webhook };
    this.items.push(item);
    if (this.items.length > keep) this.items.splice(0, this.items.length - keep);
    this.emitter.emit("received", item);
  }
}
