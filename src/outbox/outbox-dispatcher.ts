// Delivers the outbox: Telegram messages (rendered by the bot layer at send time) and webhooks.
//
// How a crash is handled
// ----------------------
// A row is written in the same transaction as the state change that caused it, so a committed
// change always has its message waiting, and a rolled-back one never has.
//
// To deliver, a dispatcher *leases* rows (src/db/leased-rows.ts): one guarded UPDATE moves due
// rows from `pending` (or from `sending` with an expired lease) to `sending`, under a token unique
// to this claim, so of two dispatchers (two instances on one PostgreSQL database) racing for a
// row exactly one gets it.
//
// Right before each send the row is *fenced*: an UPDATE guarded by the token counts the attempt
// and renews the lease; if it matches nothing, another dispatcher took the row over and this one
// drops it. Right after the other side answers, the outcome is written (sent, skipped, failed, or
// back to pending with a due time). So:
// - dying before the fence: the row is still `sending` with an unused attempt; when the lease
//   expires any dispatcher claims it again and it goes out once;
// - dying during a send or between the answer and the status update: after the lease expires the
//   row is sent again. This is the only window for a duplicate, it is as long as one HTTP call
//   plus one UPDATE, and it yields at most one extra copy per crash (the next dispatcher's
//   outcome is recorded the same way). Webhook receivers dedupe on X-Ordergram-Delivery (the row
//   id); Telegram messages are rendered from an intent, so a repeat is a repeat of a correct text;
// - stop() (deploys) finishes the sends in flight and hands queued rows back at once (pending,
//   lease cleared), so a graceful restart neither duplicates nor waits for leases to expire.
// A claim's leases are renewed every third of a lease from the claim until each row's outcome is
// written, rows waiting for their chat's turn included, so a live dispatcher never loses a row it
// holds, however slow a send. So the lease can be short: 10 s on PostgreSQL (a dead instance's
// rows go out again within about that), 2 min on SQLite, where a start-up releases the dead
// instance's leases at once (src/db/release-leases.ts).
//
// Order per chat: a chat's Telegram rows go out in creation order (createdAt, then the
// time-ordered id). A row that is being retried holds back every later row of its chat (they are
// deferred to its due time); a row merely scheduled for later (notBefore, attempts = 0) does not.
// A claim takes, per chat, the leading run of due rows; if a racing dispatcher got an earlier one,
// the later ones are handed back, so one chat is never served by two dispatchers at once.
import { hostname } from "node:os";
import Bottleneck from "bottleneck";
import type { Db } from "../db/create-prisma-client.js";
import { leasedRows } from "../db/leased-rows.js";
import type { OutboxMessage } from "../db/models.js";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import { backOffDelayMs } from "../shared/back-off.js";
import { definedOnly } from "../shared/defined-only.js";
import { DEFAULT_LEASE_MS } from "../shared/lease-keeper.js";
import { createPassLoop } from "../shared/pass-loop.js";
import { toDeliveryError, type DeliveryError } from "./delivery-error.js";
import { telegramPayloadOf, webhookPayloadOf, type JsonValue, type OutboxChannel } from "./outbox-message.js";
import { resolveRetryPolicies, type RetryOptions, type RetryPolicy } from "./retry-policy.js";
import { DEFAULT_RATE_LIMITS, TelegramPacer, type RateLimits } from "./telegram-pacer.js";
import { createWebhookChannel, DEFAULT_WEBHOOK_TIMEOUT_MS } from "./webhook-channel.js";
import { skipCodeOf, type Skip } from "../shared/skip-reason.js";

/** A Telegram row, as handed to the bot layer to render and send. */
export interface TelegramOutboxMessage {
  id: string;
  chatId: bigint;
  orderId: string | null;
  intent: JsonValue;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * For a sender that `pacesOwnSends`: resolves when the next Telegram call may go out under the
   * rate limits and records it; await it right before each sending API call, and call the
   * function it resolves with once Telegram has answered (the send then counts from that moment).
   */
  sendSlot: () => Promise<() => void>;
}

/**
 * The bot layer's send adapter. Resolves when Telegram accepted the message, or with `{ skipped }`
 * when the message no longer applies (the order was cancelled, a manager owns the chat...).
 * Throws DeliveryError (429 → retry with retryAfterMs, 5xx/network → retry, 403 → unreachable,
 * other 4xx → permanent); anything else thrown is retried.
 */
export interface TelegramSender {
  deliver(message: TelegramOutboxMessage): Promise<void | Skip>;
  /**
   * true: the sender calls message.sendSlot() itself right before each sending API call. Then
   * the time it spends rendering (database reads) lies before the slot, not between the slot and
   * the request, where it would bunch requests up at Telegram; and a skipped message uses no slot.
   */
  pacesOwnSends?: boolean;
}

/** Given to onUnreachable: the message Telegram refused with 403, and why. */
export interface UnreachableChat extends TelegramOutboxMessage {
  error: string;
}

/** Given to onWebhookFailed: which webhook, which attempt, and what went wrong. */
export interface FailedWebhook {
  id: string;
  orderId: string | null;
  /** The webhook's event ("order.confirmed"...), or null when its payload names none. */
  event: string | null;
  attempt: number;
  final: boolean;
  error: string;
}

export interface OutboxDispatcherOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Shown in leasedBy; defaults to <hostname>:<pid>. */
  instanceId?: string;
  telegram: TelegramSender;
  /** Webhooks are delivered only when both are set; otherwise they stay pending (a warning is logged once). */
  webhook: { url: string | null; secret: string | null; fetch?: typeof fetch; timeoutMs?: number };
  rateLimits?: Partial<RateLimits>;
  /** Pace with this pacer (e.g. one shared through Redis, see shared-pacing.ts) instead of one built from rateLimits. */
  pacer?: TelegramPacer;
  retry?: RetryOptions;
  /**
   * Telegram answered 403 for a chat: mark the customer unreachable, tell a manager, enqueue
   * `customer.unreachable`. Called before the chat's rows are failed, so it runs at least once
   * (again after a crash in between): make it idempotent. If it throws, the row is retried.
   */
  onUnreachable?(message: UnreachableChat): Promise<void>;
  /**
   * Telegram refused a message for good (a 4xx other than 403, or every attempt failed): the
   * order it was about must not wait unseen. Called before the row is failed (at least once:
   * make it idempotent on the message id); if it throws, the row is failed all the same.
   */
  onUndeliverable?(message: UnreachableChat): Promise<void>;
  /**
   * The first moment at or after `at` when the bot may write on its own (the shop's contact
   * hours). A retry of a message bound to them (withinContactHours) never falls outside them.
   * Without it, retries go at their back-off time.
   */
  nextContactTime?(at: Date): Date;
  /**
   * A webhook attempt failed (after its retry or its failure was recorded): for the business event
   * log and the metrics. `final` when it will not be tried again. If it throws, that is logged.
   */
  onWebhookFailed?(failure: FailedWebhook): Promise<void>;
  /** How often to look for due rows when not kicked (ms, real time). Default 2000. */
  pollIntervalMs?: number;
  /** Rows claimed per pass. Default 50. */
  batchSize?: number;
  /** Rows of one chat claimed per pass (they go out at the chat's pace). Default 10. */
  maxPerChat?: number;
  /**
   * Lease length (ms, on the injected clock), renewed every third of it (real time) while the rows
   * are in hand. Default 2 min; start-app gives PostgreSQL a short one (src/shared/lease-keeper.ts).
   */
  leaseMs?: number;
  /** Webhook requests in flight at once. Default 4. */
  webhookConcurrency?: number;
}

export interface OutboxDispatcher {
  /** Starts the background loop (idempotent). */
  start(): void;
  /** Stops claiming, finishes the sends in flight, hands queued rows back; resolves when done. */
  stop(): Promise<void>;
  /** Look for work now (callers kick after committing a transaction that enqueued). */
  kick(): void;
  /**
   * Sends these Telegram rows (by idempotency key) now, from the caller, without waiting for a
   * pass or for the chat's pace, ahead of what the chat has queued: the answer to a customer's
   * own tap. Only rows never tried are taken, leased as a pass would lease them; any a pass took
   * first are left to it. Resolves when they are sent, skipped, or scheduled for a retry.
   */
  deliverNow(idempotencyKeys: string[]): Promise<void>;
  /** One pass: claim due rows and deliver them. Resolves with the number of rows attempted. */
  runOnce(): Promise<number>;
}

type Outcome = "sent" | "skipped" | "failed" | "retry" | "unreachable" | "handed-back" | "lost";

const ACTIVE = ["pending", "sending"];

export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { db, clock, telegram } = options;
  const logger = options.logger.child({ component: "outbox" });
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
  const policies = resolveRetryPolicies(options.retry);
  const pacer = options.pacer ?? new TelegramPacer({ ...DEFAULT_RATE_LIMITS, ...definedOnly(options.rateLimits ?? {}) });
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const batchSize = options.batchSize ?? 50;
  const maxPerChat = options.maxPerChat ?? 10;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS.sqlite;
  const webhookLimiter = new Bottleneck({ maxConcurrent: options.webhookConcurrency ?? 4 });
  const { url: webhookUrl, secret: webhookSecret } = options.webhook;
  const webhook =
    webhookUrl && webhookSecret
      ? createWebhookChannel({
          url: webhookUrl,
          secret: webhookSecret,
          timeoutMs: options.webhook.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
          ...(options.webhook.fetch ? { fetch: options.webhook.fetch } : {}),
        })
      : null;
  const channels: OutboxChannel[] = webhook ? ["telegram", "webhook"] : ["telegram"];

  let stopping = false;
  let started = false;
  let signalStop: () => void = () => {};
  let stopSignal = new Promise<void>((resolve) => (signalStop = resolve));
  let warnedNoWebhook = false;
  /** Group chats' deliveries running in the background (see pass()). */
  const groupSends = new Set<Promise<unknown>>();

  const later = (now: Date, ms: number) => new Date(now.getTime() + ms);
  const leases = leasedRows({ db, table: "outboxMessage", clock, logger, leaseMs, instanceId, what: "outbox" });

  // ---------------------------------------------------------------- claiming

  interface Claim {
    token: string;
    /** Per chat, the rows to send in order. */
    chats: OutboxMessage[][];
    webhooks: OutboxMessage[];
    /** The claim found a full batch: there may be more due rows. */
    saturated: boolean;
  }

  async function claim(now: Date): Promise<Claim | null> {
    const due = await db.outboxMessage.findMany({
      where: { channel: { in: channels }, ...leases.dueWhere(now) },
      orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      take: batchSize,
      select: { id: true, channel: true, chatId: true },
    });
    if (due.length === 0) return null;

    const webhookIds = await firstWebhooksOfOrders(
      due.filter((row) => row.channel === "webhook").map((row) => row.id),
      now,
    );
    const chatIds = [...new Set(due.flatMap((row) => (row.channel === "telegram" && row.chatId !== null ? [row.chatId] : [])))];
    const plans = await planChats(chatIds, now);

    const ids = [...webhookIds, ...plans.flat()];
    if (ids.length === 0) return { token: "", chats: [], webhooks: [], saturated: false };
    const claimed = await leases.claim({ where: { id: { in: ids } }, now });
    // Lost a write conflict to a racing claim: look again at once.
    if (!claimed) return { token: "", chats: [], webhooks: [], saturated: true };
    const { token } = claimed;
    const got = new Map(claimed.rows.map((row) => [row.id, row]));

    // Per chat, keep the leading run we got; a racing dispatcher holding an earlier row means
    // the later ones must not go before it: hand them back.
    const chats: OutboxMessage[][] = [];
    const handBack: string[] = [];
    for (const plan of plans) {
      const run: OutboxMessage[] = [];
      let gap = false;
      for (const id of plan) {
        const row = got.get(id);
        if (!row) gap = true;
        else if (gap) handBack.push(id);
        else run.push(row);
      }
      if (run.length > 0) chats.push(run);
    }
    if (handBack.length > 0) await release(handBack, token);
    return {
      token,
      chats,
      webhooks: webhookIds.flatMap((id) => got.get(id) ?? []),
      // Only worth an immediate next pass when this one got work (not when all was held elsewhere).
      saturated: due.length === batchSize && got.size > 0,
    };
  }

  /**
   * Of these due webhooks, those that are the earliest undelivered one of their order: a shop
   * hears about an order in the order things happened (order.changed never after
   * order.confirmed), even when one of them had to be retried. The ones behind a webhook that is
   * waiting for its retry are deferred to its due time, like a chat's messages.
   */
  async function firstWebhooksOfOrders(ids: string[], now: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids } }, select: { id: true, orderId: true } });
    const orderIds = [...new Set(rows.flatMap((row) => (row.orderId === null ? [] : [row.orderId])))];
    const undelivered = orderIds.length
      ? await db.outboxMessage.findMany({
          where: { channel: "webhook", orderId: { in: orderIds }, status: { in: ACTIVE } },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: { id: true, orderId: true, status: true, nextAttemptAt: true },
        })
      : [];
    const first = new Map<string, (typeof undelivered)[number]>();
    for (const row of undelivered) if (row.orderId !== null && !first.has(row.orderId)) first.set(row.orderId, row);
    const ready: string[] = [];
    for (const row of rows) {
      const head = row.orderId === null ? undefined : first.get(row.orderId);
      if (!head || head.id === row.id) {
        ready.push(row.id);
        continue;
      }
      if (head.status === "pending" && head.nextAttemptAt > now) {
        await db.outboxMessage.updateMany({
          where: { id: row.id, status: "pending", nextAttemptAt: { lt: head.nextAttemptAt } },
          data: { nextAttemptAt: head.nextAttemptAt },
        });
      }
    }
    return ready;
  }

  /**
   * For each chat, the ids of its leading run of due rows (at most maxPerChat). Rows queued behind
   * a row that is waiting for a retry are deferred to that row's due time, so they do not fill the
   * due list (and starve other chats) while they cannot go anyway.
   */
  async function planChats(chatIds: bigint[], now: Date): Promise<string[][]> {
    if (chatIds.length === 0) return [];
    const queued = await db.outboxMessage.findMany({
      where: { channel: "telegram", chatId: { in: chatIds }, status: { in: ACTIVE } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, chatId: true, status: true, attempts: true, nextAttemptAt: true, leasedUntil: true },
    });
    const byChat = new Map<bigint, typeof queued>();
    for (const row of queued) {
      if (row.chatId === null) continue;
      byChat.set(row.chatId, [...(byChat.get(row.chatId) ?? []), row]);
    }
    const plans: string[][] = [];
    const deferrals: Array<{ ids: string[]; until: Date }> = [];
    for (const chatId of chatIds) {
      const rows = byChat.get(chatId) ?? [];
      const plan: string[] = [];
      for (const [index, row] of rows.entries()) {
        if (leases.isDue({ ...row, dueAt: row.nextAttemptAt }, now)) {
          if (plan.length >= maxPerChat) break;
          plan.push(row.id);
          continue;
        }
        if (row.status === "sending") break; // another dispatcher is sending this chat's earlier row
        if (row.attempts > 0) {
          // Waiting for a retry: the chat's later rows wait behind it.
          const behind = rows.slice(index + 1).filter((r) => r.status === "pending" && r.nextAttemptAt < row.nextAttemptAt);
          if (behind.length > 0) deferrals.push({ ids: behind.map((r) => r.id), until: row.nextAttemptAt });
          break;
        }
        // Scheduled for later and never tried: it does not hold the queue.
      }
      if (plan.length > 0) plans.push(plan);
    }
    for (const { ids, until } of deferrals) {
      await db.outboxMessage.updateMany({
        where: { id: { in: ids }, status: "pending", nextAttemptAt: { lt: until } },
        data: { nextAttemptAt: until },
      });
    }
    return plans;
  }

  /** Hands claimed rows back untouched (pending, lease cleared), optionally deferred. */
  async function release(ids: string[], token: string, until?: Date): Promise<void> {
    await leases.release(ids, token, until ? { nextAttemptAt: until } : {});
  }

  /** Counts the attempt and renews the lease right before sending; false if the row was taken over. */
  const fence = (row: OutboxMessage, token: string) => leases.fence(row.id, token, { attempts: { increment: 1 } });

  // ---------------------------------------------------------------- outcomes

  async function markSent(row: OutboxMessage): Promise<Outcome> {
    await db.outboxMessage.update({
      where: { id: row.id },
      data: { status: "sent", sentAt: clock.now(), leasedUntil: null, lastError: null },
    });
    return "sent";
  }

  async function markSkipped(row: OutboxMessage, skip: Skip): Promise<Outcome> {
    const reason = skip.skipped;
    await db.outboxMessage.update({
      where: { id: row.id },
      data: { status: "skipped", sentAt: null, leasedUntil: null, lastError: `skipped: ${reason}`, skipCode: skipCodeOf(skip) },
    });
    logger.info({ outboxId: row.id, orderId: row.orderId, reason }, "outbox message skipped");
    return "skipped";
  }

  async function markFailed(row: OutboxMessage, lastError: string): Promise<Outcome> {
    await db.outboxMessage.update({ where: { id: row.id }, data: { status: "failed", leasedUntil: null, lastError } });
    logger.warn({ outboxId: row.id, channel: row.channel, orderId: row.orderId, lastError }, "outbox message failed, not retried");
    return "failed";
  }

  /** A failed attempt: retried later, or given up on when it was the last allowed one. */
  async function onFailure(
    row: OutboxMessage,
    attempt: number,
    error: DeliveryError,
    policy: RetryPolicy,
    /** Runs before the row is failed for good. */
    beforeGivingUp?: (lastError: string) => Promise<void>,
  ): Promise<{ outcome: Outcome; retryAt?: Date }> {
    const giveUp = async (lastError: string) => {
      await beforeGivingUp?.(lastError);
      return { outcome: await markFailed(row, lastError) };
    };
    if (error.kind === "permanent" || error.kind === "unreachable") return giveUp(error.message);
    // "Too many requests, retry after N s" is Telegram (or the shop) asking to wait, not a
    // failure of the message: it never uses up the attempts.
    if (attempt >= policy.maxAttempts && error.retryAfterMs === undefined)
      return giveUp(`gave up after ${attempt} attempts: ${error.message}`);
    const now = clock.now();
    const backOff = later(now, backOffDelayMs(policy, attempt, error.retryAfterMs));
    const boundToContactHours = row.channel === "telegram" && telegramPayloadOf(row.payload).withinContactHours === true;
    const retryAt = boundToContactHours && options.nextContactTime ? options.nextContactTime(backOff) : backOff;
    await db.outboxMessage.update({
      where: { id: row.id },
      data: { status: "pending", nextAttemptAt: retryAt, lastError: error.message, leasedBy: null, leasedUntil: null },
    });
    logger.debug({ outboxId: row.id, channel: row.channel, attempt, retryAt, err: error.message }, "outbox delivery failed, will retry");
    return { outcome: "retry", retryAt };
  }

  // ---------------------------------------------------------------- Telegram

  /**
   * Sends a chat's rows one after another; a row being retried holds back the rest. `paced`:
   * each waits for the chat's turn under the rate limits (not so for deliverNow's answers).
   */
  async function deliverChat(rows: OutboxMessage[], token: string, paced = true): Promise<number> {
    let attempted = 0;
    for (const [index, row] of rows.entries()) {
      const rest = rows.slice(index + 1).map((r) => r.id);
      const { outcome, retryAt } = await deliverTelegram(row, token, paced);
      if (outcome !== "handed-back" && outcome !== "lost") attempted += 1;
      if (outcome === "unreachable") return attempted; // the rest were failed with the chat
      if (outcome === "retry" || outcome === "handed-back" || outcome === "lost") {
        await release(rest, token, outcome === "retry" ? retryAt : undefined);
        return attempted;
      }
    }
    return attempted;
  }

  async function deliverTelegram(row: OutboxMessage, token: string, paced: boolean): Promise<{ outcome: Outcome; retryAt?: Date }> {
    const chatId = row.chatId;
    if (chatId === null) return { outcome: await markFailed(row, "telegram outbox row without a chat id") };
    if (stopping || (paced && !(await pacer.turn(chatId, stopSignal))) || stopping) {
      await release([row.id], token);
      return { outcome: "handed-back" };
    }
    if (!(await fence(row, token))) return { outcome: "lost" };
    const message: TelegramOutboxMessage = {
      id: row.id,
      chatId,
      orderId: row.orderId,
      intent: telegramPayloadOf(row.payload).intent,
      attempt: row.attempts + 1,
      sendSlot: paced ? () => pacer.sendSlot(chatId) : unpacedSlot,
    };
    const sent = telegram.pacesOwnSends || !paced ? undefined : await pacer.sendSlot(chatId);
    let result: void | Skip;
    try {
      result = await telegram.deliver(message);
    } catch (thrown) {
      sent?.();
      const error = toDeliveryError(thrown);
      if (error.kind === "unreachable") return onUnreachable(row, message, error, token);
      const failure = await onFailure(row, message.attempt, error, policies.telegram, async (lastError) => {
        if (!options.onUndeliverable) return;
        await options
          .onUndeliverable({ ...message, error: lastError })
          .catch((hookError: unknown) =>
            logger.error({ err: hookError, outboxId: row.id }, "onUndeliverable failed; the message is failed all the same"),
          );
      });
      return failure;
    }
    sent?.();
    if (result && typeof result === "object" && "skipped" in result) return { outcome: await markSkipped(row, result) };
    return { outcome: await markSent(row) };
  }

  /**
   * 403: the hook first (at least once), then this row and every other pending Telegram row of the
   * chat are failed, in one transaction: no more automatic messages to it.
   */
  async function onUnreachable(
    row: OutboxMessage,
    message: TelegramOutboxMessage,
    error: DeliveryError,
    token: string,
  ): Promise<{ outcome: Outcome; retryAt?: Date }> {
    if (options.onUnreachable) {
      try {
        await options.onUnreachable({ ...message, error: error.message });
      } catch (hookError) {
        logger.error({ err: hookError, outboxId: row.id }, "onUnreachable failed; the message will be retried");
        const reason = hookError instanceof Error ? hookError.message : String(hookError);
        return onFailure(
          row,
          message.attempt,
          toDeliveryError(new Error(`${error.message} (onUnreachable failed: ${reason})`)),
          policies.telegram,
        );
      }
    }
    const chatError = `chat unreachable: ${error.message}`;
    await db.$transaction([
      db.outboxMessage.update({ where: { id: row.id }, data: { status: "failed", leasedUntil: null, lastError: error.message } }),
      db.outboxMessage.updateMany({
        where: {
          channel: "telegram",
          chatId: row.chatId,
          id: { not: row.id },
          OR: [{ status: "pending" }, { status: "sending", leasedBy: token }],
        },
        data: { status: "failed", leasedBy: null, leasedUntil: null, lastError: chatError },
      }),
    ]);
    logger.warn({ outboxId: row.id, chatId: String(row.chatId), orderId: row.orderId, err: error.message }, "telegram chat unreachable");
    return { outcome: "unreachable" };
  }

  /**
   * The answer to a customer's tap, sent by the handler that committed it rather than by the next
   * pass: a pass would add its claim queries, the wait behind other chats' sends and the chat's
   * pace (a second edit within a second of the read-back would wait for it). The rows are leased
   * like a pass leases them, so exactly one sender has each: if a pass took one first, it is left
   * to the pass; if this process dies mid-send, the lease ends and the outbox sends it (the
   * dispatcher's at-least-once window, no wider). While a row is leased here, the chat's later
   * rows wait behind it (planChats), so what the change also queued goes after the answer.
   */
  async function deliverNow(keys: string[]): Promise<void> {
    if (keys.length === 0 || stopping) return;
    const claimed = await leases.claim({
      where: { idempotencyKey: { in: keys }, channel: "telegram" },
      // Not by due time: an answer never tried is taken as soon as it is committed.
      claimable: { status: "pending", attempts: 0 },
      now: clock.now(),
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    // Lost a write conflict to a pass's claim: what the pass did not take, the next pass sends.
    if (!claimed) return;
    const chats = new Map<bigint | null, OutboxMessage[]>();
    for (const row of claimed.rows) chats.set(row.chatId, [...(chats.get(row.chatId) ?? []), row]);
    await Promise.all([...chats.values()].map((chat) => deliverChat(chat, claimed.token, false)));
  }

  // ---------------------------------------------------------------- webhooks

  async function deliverWebhook(row: OutboxMessage, token: string): Promise<number> {
    if (!webhook) return 0;
    return webhookLimiter.schedule(async () => {
      if (stopping) {
        await release([row.id], token);
        return 0;
      }
      if (!(await fence(row, token))) return 0;
      const attempt = row.attempts + 1;
      try {
        const { event, data } = webhookPayloadOf(row.payload);
        await webhook.deliver({ id: row.id, event, data, createdAt: row.createdAt, attempt }, clock.now());
      } catch (thrown) {
        const error = toDeliveryError(thrown);
        const { outcome } = await onFailure(row, attempt, error, policies.webhook);
        await options
          .onWebhookFailed?.({
            id: row.id,
            orderId: row.orderId,
            event: webhookEventOf(row),
            attempt,
            final: outcome === "failed",
            error: error.message,
          })
          .catch((hookError: unknown) => logger.error({ err: hookError, outboxId: row.id }, "onWebhookFailed failed"));
        return 1;
      }
      await markSent(row);
      return 1;
    });
  }

  // ---------------------------------------------------------------- passes and the loop

  async function warnIfWebhooksUnconfigured(): Promise<void> {
    if (webhook || warnedNoWebhook) return;
    const waiting = await db.outboxMessage.findFirst({ where: { channel: "webhook", status: "pending" }, select: { id: true } });
    if (!waiting) return;
    warnedNoWebhook = true;
    logger.warn("webhooks are waiting in the outbox but no webhook URL and secret are configured; they stay pending until they are");
  }

  async function pass(): Promise<{ attempted: number; saturated: boolean }> {
    await warnIfWebhooksUnconfigured();
    const claimed = await claim(clock.now());
    if (!claimed) return { attempted: 0, saturated: false };
    // Claimed rows stay leased until their outcome is written, also those waiting for their turn.
    const held = leases.hold(claimed.token);
    // A group (negative chat id, e.g. the managers' forum) goes at ~20 messages a minute: a pass
    // waiting for a busy group would hold every customer's message behind it. Group rows are sent
    // in the background instead (their leases keep later passes off them); stop() waits for them.
    const isGroup = (rows: OutboxMessage[]) => (rows[0]?.chatId ?? 0n) < 0n;
    for (const rows of claimed.chats.filter(isGroup)) {
      const releaseGroup = leases.hold(claimed.token);
      const send: Promise<unknown> = deliverChat(rows, claimed.token)
        .catch((error: unknown) => logger.error({ err: error, chatId: String(rows[0]?.chatId) }, "outbox group delivery failed"))
        .finally(() => {
          releaseGroup();
          groupSends.delete(send);
        });
      groupSends.add(send);
    }
    const counts = await Promise.all([
      ...claimed.chats.filter((rows) => !isGroup(rows)).map((rows) => deliverChat(rows, claimed.token)),
      ...claimed.webhooks.map((row) => deliverWebhook(row, claimed.token)),
    ]).finally(held);
    return { attempted: counts.reduce((sum, n) => sum + n, 0), saturated: claimed.saturated };
  }

  const passLoop = createPassLoop({ pass, pollIntervalMs, onError: (error) => logger.error({ err: error }, "outbox pass failed") });

  return {
    start() {
      if (started) return;
      started = true;
      stopping = false;
      stopSignal = new Promise<void>((resolve) => (signalStop = resolve));
      passLoop.start();
    },
    async stop() {
      stopping = true;
      signalStop();
      await passLoop.stop();
      await Promise.all(groupSends);
      started = false;
    },
    kick: () => passLoop.kick(),
    deliverNow,
    async runOnce() {
      return (await passLoop.runOnce()).attempted;
    },
  };
}

/** A webhook row's event, read without failing on a payload that names none. */
function webhookEventOf(row: OutboxMessage): string | null {
  try {
    return webhookPayloadOf(row.payload).event;
  } catch {
    return null;
  }
}

/** deliverNow's answers do not wait for the chat's pace (see deliverNow). */
const unpacedSlot = async () => () => {};
