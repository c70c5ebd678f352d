// One chaos run on one database: ordergram as a real child process (src/main.ts, as `npm start`
// runs it, polling the stand-in), customers driven through the stand-in and the shop API, and
// kill -9 in bursts while they order, read back and tap Confirm. Then the app is left to catch up,
// stopped cleanly, and what was owed is compared with what arrived (chaos-ledger.ts).
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import type { Message } from "grammy/types";
import { benchConfigYaml, botToken, startOrdergram, type OrdergramProcess } from "../../bench/lib/environment.js";
import { freePort } from "../../bench/lib/processes.js";
import { createPrismaClient } from "../../src/db/create-prisma-client.js";
import { startTelegramStandin } from "../../src/telegram-standin/index.js";
import type { TelegramTestUser } from "../../src/telegram-standin/telegram-test-user.js";
import { WebhookReceiver } from "../support/webhook-receiver.js";
import { countKinds, type Kind, type KindCount, type Observations } from "./chaos-ledger.js";

export interface ScenarioOptions {
  database: "sqlite" | "postgresql";
  databaseUrl: string;
  /** How long customers order and the process is killed (s). */
  chaosSeconds: number;
  customers: number;
  /** ORDERGRAM_LEASE_SECONDS for the app; its default when omitted. */
  leaseSeconds?: number;
  workDir: string;
  logDir: string;
  log: (line: string) => void;
}

export interface ScenarioResult {
  counts: Record<Kind, KindCount>;
  kills: number;
  /**
   * Per kill with something owed: from the kill until the last of it that arrived did (ms), and
   * whether the process was killed again meanwhile (then the time includes the later kills).
   */
  catchUps: Array<{ ms: number; killedAgain: boolean }>;
  /** Spawn to /healthz of each restart (ms). */
  restartMs: number[];
  /** Longest wait of a customer: order created -> read-back, tap -> reply (ms). */
  longestWaitMs: { readBack: number; tapReply: number };
}

const CONFIRM = "✅ Confirm";
/** The read-back's Confirm button: "og:o:<orderId>:<version>:c" (src/flows/confirmation/confirmation-callback.ts). */
const confirmData = /^og:o:([^:]+):\d+:c$/;

/** The first line of every dialog message: "Order <number>". */
const orderTitle = /^Order (\S+)/m;

const orderOf = (message: Message): string | undefined => {
  for (const button of message.reply_markup?.inline_keyboard.flat() ?? []) {
    const match = "callback_data" in button ? confirmData.exec(button.callback_data) : null;
    if (match) return match[1];
  }
  return undefined;
};

const between = (min: number, max: number) => min + Math.random() * (max - min);

/** A delivery day the example courier takes: two days from now in the shop's time zone. */
const deliveryDate = () => new Date(Date.now() + 2 * 86_400_000).toLocaleDateString("en-CA", { timeZone: "Europe/Berlin" });

export async function runChaosScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const { log, database } = options;
  const standin = await startTelegramStandin();
  const token = botToken(1);
  standin.addBot({ token, username: "chaos_shop_bot", firstName: "Chaos Shop" });
  const receiver = await WebhookReceiver.start();
  const port = await freePort();
  const observed: Observations = {
    orders: new Map(),
    taps: new Map(),
    readBacks: new Map(),
    tapReplies: new Map(),
    webhooks: [],
    confirmed: new Set(),
    outbox: [],
  };
  /** When each owed thing was owed and when it first arrived (ms, performance.now()). */
  const owedAt = new Map<string, number>();
  const arrivedAt = new Map<string, number>();
  const arrived = (key: string) => {
    if (!arrivedAt.has(key)) arrivedAt.set(key, performance.now());
  };
  const repliesByNumber = new Map<string, number[]>();
  const orderByNumber = new Map<string, string>();

  standin.events.on("message", (event) => {
    if (event.sender.kind !== "bot" || event.change === "deleted") return;
    const text = event.message.text ?? "";
    // Recorded whatever the order: the read-back may come before the shop's POST has its answer.
    const readBackOf = event.change === "sent" ? orderOf(event.message) : undefined;
    if (readBackOf) {
      observed.readBacks.set(readBackOf, [...(observed.readBacks.get(readBackOf) ?? []), event.message.message_id]);
      arrived(`read-back:${readBackOf}`);
      return;
    }
    if (!text.includes("Confirmed.")) return;
    // The tapped read-back edited in place, or a new message when the tap was on an older copy:
    // either way titled "Order <number>" (the shop's POST may not have answered yet: kept by number).
    const number = orderTitle.exec(text)?.[1];
    if (!number) return;
    repliesByNumber.set(number, [...(repliesByNumber.get(number) ?? []), event.message.message_id]);
    const orderId = orderByNumber.get(number);
    if (orderId && observed.taps.has(orderId)) arrived(`tap:${orderId}`);
  });

  const runs: number[] = [];
  const startApp = async (): Promise<OrdergramProcess> => {
    runs.push(runs.length + 1);
    const app = await startOrdergram({
      token,
      apiRoot: standin.url,
      databaseUrl: options.databaseUrl,
      workDir: options.workDir,
      configYaml: benchConfigYaml(),
      webhookUrl: receiver.url,
      logFile: path.join(options.logDir, `chaos-${database}-${String(runs.length).padStart(3, "0")}.log`),
      port,
      env: options.leaseSeconds === undefined ? {} : { ORDERGRAM_LEASE_SECONDS: String(options.leaseSeconds) },
    });
    return app;
  };

  let app = await startApp();
  const restartMs: number[] = [];
  const catchUps: Array<{ at: number; owed: string[] }> = [];
  let kills = 0;
  try {
    /** POST /orders until the app answers 2xx: a request that died with the process is sent again, unchanged. */
    const createOrder = async (body: unknown): Promise<{ id: string; startLink: string }> => {
      for (;;) {
        try {
          const response = await app.api("POST", "/orders", body);
          if (response.status < 300) return response.body as { id: string; startLink: string };
          if (response.status < 500) throw new Error(`order refused: ${response.status} ${JSON.stringify(response.body)}`);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith("order refused")) throw error;
        }
        await sleep(200);
      }
    };
    const orderBody = (externalId: string, phone: string) => ({
      externalId,
      customer: { name: "Chaos Customer", phone },
      currency: "EUR",
      items: [
        { sku: "TEA-1", name: "Green tea", quantity: 2, unitPrice: "4.50" },
        { sku: "CUP-7", name: "Clay cup", quantity: 1, unitPrice: "12.90" },
      ],
      delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: deliveryDate(), window: "10:00-14:00" },
    });

    // Customers who opened the bot once, before the chaos: their next orders are read back by the outbox.
    const customers: Array<{ user: TelegramTestUser; phone: string }> = [];
    for (let i = 0; i < options.customers; i++) {
      const phone = `+49170${String(5_550_000 + i)}`;
      const first = await createOrder(orderBody(`SETUP-${database}-${i}`, phone));
      const user = standin.addUser({ firstName: `Chaos${i}`, languageCode: "en", phone });
      await user.sendText(`/start ${new URL(first.startLink).searchParams.get("start")}`);
      await user.waitForMessage((m) => orderOf(m) === first.id, { timeoutMs: 20_000 });
      customers.push({ user, phone });
    }
    log(`  ${database}: ${customers.length} customers linked; chaos for ${options.chaosSeconds} s`);

    const chaosEnd = performance.now() + options.chaosSeconds * 1000;
    let orderNumber = 0;
    const customerLoop = async ({ user, phone }: { user: TelegramTestUser; phone: string }) => {
      while (performance.now() < chaosEnd) {
        const externalId = `C-${database}-${++orderNumber}`;
        const order = await createOrder(orderBody(externalId, phone));
        if (!observed.orders.has(order.id)) {
          observed.orders.set(order.id, externalId);
          orderByNumber.set(externalId, order.id);
          owedAt.set(`read-back:${order.id}`, performance.now());
        }
        const deadline = performance.now() + 60_000;
        while (!observed.readBacks.has(order.id) && performance.now() < deadline) await sleep(50);
        const messageId = observed.readBacks.get(order.id)?.[0];
        if (messageId === undefined) continue; // lost: the ledger says so
        await sleep(between(50, 400)); // reading it
        observed.taps.set(order.id, messageId);
        owedAt.set(`tap:${order.id}`, performance.now());
        try {
          await user.tapButton(CONFIRM, { messageId, timeoutMs: 5000 });
        } catch (error) {
          // The button is gone (another read-back took it off): no tap was made after all.
          observed.taps.delete(order.id);
          owedAt.delete(`tap:${order.id}`);
          log(`  ${database}: could not tap ${externalId}: ${(error as Error).message.split("\n")[0]}`);
        }
        await sleep(between(50, 300));
      }
    };

    const killer = async () => {
      while (performance.now() < chaosEnd) {
        // Mostly up for seconds only (kills faster than a PostgreSQL lease runs out, so a dead
        // instance's work waits for one that lives long enough); now and then for longer than a
        // lease, which times a takeover after a single kill.
        await sleep(Math.random() < 0.3 ? between(12_000, 18_000) : between(1500, 5000));
        // A burst: killed, restarted, killed again while it catches up.
        const burst = Math.ceil(Math.random() * 3);
        for (let k = 0; k < burst && performance.now() < chaosEnd; k++) {
          const at = performance.now();
          catchUps.push({ at, owed: [...owedAt.keys()].filter((key) => !arrivedAt.has(key)) });
          app.child.process.kill("SIGKILL");
          await app.child.exited;
          await app.child.stop();
          kills++;
          app = await startApp();
          restartMs.push(app.startupMs);
          if (k < burst - 1) await sleep(between(200, 1500));
        }
      }
    };

    await Promise.all([killer(), ...customers.map(customerLoop)]);
    log(`  ${database}: chaos over (${kills} kills, ${observed.orders.size} orders, ${observed.taps.size} taps); letting it catch up`);

    // Catch up: everything owed arrives within a lease or two of the last restart, or never.
    const catchUpMs = (options.leaseSeconds ?? (database === "postgresql" ? 10 : 0)) * 2000 + 20_000;
    const catchUpEnd = performance.now() + catchUpMs;
    const allArrived = () =>
      [...owedAt.keys()].every((key) => arrivedAt.has(key)) &&
      [...observed.taps.keys()].every((id) =>
        receiver.received.some((w) => w.body.type === "order.confirmed" && w.body.data?.order?.id === id),
      );
    while (!allArrived() && performance.now() < catchUpEnd) await sleep(200);
    // Late duplicates (a row re-sent after its lease) have time to show.
    await sleep(2000);
  } finally {
    await app.child.stop();
    await standin.close();
  }

  for (const [orderId, number] of observed.orders) observed.tapReplies.set(orderId, repliesByNumber.get(number) ?? []);
  // What the database says at the end.
  const db = await createPrismaClient(options.databaseUrl);
  try {
    const ids = [...observed.orders.keys()];
    observed.confirmed = new Set(
      (await db.order.findMany({ where: { id: { in: ids }, state: "confirmed" }, select: { id: true } })).map((o) => o.id),
    );
    observed.outbox = await db.outboxMessage.findMany({
      where: { orderId: { in: ids } },
      select: { id: true, orderId: true, channel: true, idempotencyKey: true, attempts: true },
    });
  } finally {
    await db.$disconnect();
  }
  for (const webhook of receiver.received) {
    const orderId = (webhook.body.data?.order?.id as string | undefined) ?? null;
    if (orderId && !observed.orders.has(orderId)) continue;
    observed.webhooks.push({ deliveryId: String(webhook.headers["x-ordergram-delivery"]), event: webhook.body.type, orderId });
  }
  await receiver.close();

  // From the shop's 2xx (a read-back may even come before it: 0) or the tap, to the first copy.
  const waits = (prefix: string) =>
    [...owedAt].filter(([key]) => key.startsWith(prefix)).map(([key, at]) => Math.max(0, (arrivedAt.get(key) ?? at) - at));
  return {
    counts: countKinds(observed),
    kills,
    // What never arrived is in the counts as lost; the takeover is timed on what did.
    catchUps: catchUps.flatMap(({ at, owed }) => {
      const came = owed.filter((key) => arrivedAt.has(key));
      if (came.length === 0) return [];
      const ms = Math.max(...came.map((key) => arrivedAt.get(key)! - at));
      return [{ ms, killedAgain: catchUps.some((other) => other.at > at && other.at < at + ms) }];
    }),
    restartMs,
    longestWaitMs: { readBack: Math.max(0, ...waits("read-back:")), tapReply: Math.max(0, ...waits("tap:")) },
  };
}
