// Shared pieces of the outbox tests: a logger that can be read, a local webhook receiver, and a
// dispatcher wired for tests (ManualClock, fast pacing unless a test is about pacing).
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import type { Db } from "../../src/db/create-prisma-client.js";
import { enqueueOutbox } from "../../src/outbox/enqueue-outbox.js";
import { createOutboxDispatcher, type OutboxDispatcherOptions } from "../../src/outbox/outbox-dispatcher.js";
import type { OutboxEntry } from "../../src/outbox/outbox-message.js";
import type { Logger } from "../../src/shared/logger.js";
import { ManualClock } from "../../src/shared/clock.js";
import { newId } from "../../src/shared/ids.js";

export const START = "2026-11-23T10:00:00.000Z";

/** Limits high enough that pacing never slows a test that is not about pacing. */
export const FAST_LIMITS = { perChatPerSecond: 1000, perGroupPerMinute: 60_000, globalPerSecond: 1000 };

export function capturingLogger(): { logger: Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

/** Enqueues in its own transaction, as a use case would; returns the row id. */
export async function enqueue(db: Db, entry: OutboxEntry, now: Date, options: { key?: string; notBefore?: Date } = {}): Promise<string> {
  const idempotencyKey = options.key ?? `test:${newId()}`;
  await db.$transaction((tx) =>
    enqueueOutbox(tx, entry, { idempotencyKey, now, ...(options.notBefore ? { notBefore: options.notBefore } : {}) }),
  );
  const row = await db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey } });
  return row.id;
}

export function testDispatcher(db: Db, overrides: Partial<OutboxDispatcherOptions> = {}) {
  const clock = overrides.clock instanceof ManualClock ? overrides.clock : new ManualClock(START);
  const { logger, lines } = capturingLogger();
  const dispatcher = createOutboxDispatcher({
    db,
    clock,
    logger,
    telegram: { deliver: async () => undefined },
    webhook: { url: null, secret: null },
    rateLimits: FAST_LIMITS,
    ...overrides,
  });
  return { dispatcher, clock, logLines: lines };
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A real HTTP server on 127.0.0.1; `answer` decides the status of each request (0-based). */
export async function startReceiver(answer: (index: number, request: ReceivedRequest) => number | "hang" = () => 200) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { headers: req.headers, rawBody: Buffer.concat(chunks).toString("utf8") };
      const status = answer(received.length, request);
      received.push(request);
      if (status === "hang") return;
      res.writeHead(status, { "content-type": "text/plain" }).end(status >= 300 ? "receiver says no" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/ordergram`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
