import { expect, it } from "vitest";
import { linkByStartToken } from "../../src/services/link-customer.js";
import { receiveOrder } from "../../src/services/receive-order.js";
import { loadReturnStart } from "../../src/services/returns/return-start.js";
import { submitReturn, type ReturnSubmission } from "../../src/services/returns/submit-return.js";
import { updateReturnStatus } from "../../src/services/returns/update-return-status.js";
import { escalateOrder } from "../../src/services/escalate-order.js";
import { endHandoff } from "../../src/services/handoff/end-handoff.js";
import { holdReturnMessageIfWithPerson, releaseHeldReturnMessages } from "../../src/services/returns/held-return-messages.js";
import { withTransaction } from "../../src/db/transaction.js";
import type { ManualClock } from "../../src/shared/clock.js";
import { newId } from "../../src/shared/ids.js";
import { testServiceDependencies } from "../support/service-dependencies.js";
import { describeEachDatabase } from "../support/test-database.js";

const day = 24 * 60 * 60 * 1000;

describeEachDatabase("return requests", (getDb) => {
  let seq = 0;
  /** A linked order of customer Anna, delivered now (the shop's status API sets deliveredAt the same way). */
  async function deliveredOrder(options: { managersGroup?: bigint } = {}) {
    const base = testServiceDependencies(getDb());
    const config = base.config();
    const deps = options.managersGroup
      ? testServiceDependencies(getDb(), {
          config: () => ({ ...config, managers: { ...config.managers, groupChatId: options.managersGroup! } }),
        })
      : base;
    seq++;
    const received = await receiveOrder(deps, {
      externalId: `RET-${seq}-${Math.random()}`,
      customer: { name: "Anna", phone: `+4917100${seq}1234`, telegramUserId: null, language: "en" },
      currency: "EUR",
      items: [
        { position: 0, sku: "TEA-1", name: "Green tea", quantity: 2, unitPriceMinor: 450n, available: null, substitutes: [] },
        {
          position: 1,
          sku: "GIFT-1",
          name: "Gift card",
          quantity: 1,
          unitPriceMinor: 1000n,
          available: null,
          substitutes: [],
          returnable: false,
        },
      ],
      delivery: { method: "post", address: "Hauptstr. 1, 10115 Berlin", date: null, window: null },
      comment: null,
    });
    const userId = BigInt(800_000 + seq);
    await linkByStartToken(deps, received.record.startToken!, {
      id: userId,
      type: "private",
      username: null,
      languageCode: "en",
      firstName: "Anna",
    });
    const orderId = received.record.order.id;
    // Service level: the delivery is written directly, as updateDeliveryStatus writes it.
    await getDb().order.update({ where: { id: orderId }, data: { deliveryStatus: "delivered", deliveredAt: deps.clock.now() } });
    const submission = (overrides: Partial<ReturnSubmission> = {}): ReturnSubmission => ({
      requestId: newId(),
      orderId,
      telegramUserId: userId,
      language: "en",
      items: [{ position: 0, quantity: 2 }],
      reason: "damaged",
      comment: null,
      resolution: "refund",
      exchangeFor: null,
      photos: [{ fileId: "file-1", fileUniqueId: "uniq-1", width: 800, height: 600, fileSize: 1234 }],
      ...overrides,
    });
    return { deps, orderId, userId, submission };
  }

  it("stores a request with its photos, the shop's webhook and the order's history in one go, once", async () => {
    const { deps, orderId, userId, submission } = await deliveredOrder();
    const start = await loadReturnStart(deps, { orderId, telegramUserId: userId });
    expect(start).toMatchObject({ type: "eligible", lines: [{ position: 0, name: "Green tea", left: 2 }] });

    const input = submission();
    const [a, b] = await Promise.all([submitReturn(deps, input), submitReturn(deps, input)]);
    expect(a.type).toBe("submitted");
    expect(b.type).toBe("submitted");
    const rows = await getDb().returnRequest.findMany({ where: { orderId }, include: { items: true, photos: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.items.map((i) => [i.sku, i.quantity])).toEqual([["TEA-1", 2]]);
    expect(rows[0]!.photos.map((p) => p.fileUniqueId)).toEqual(["uniq-1"]);
    const webhooks = await getDb().outboxMessage.findMany({ where: { orderId, channel: "webhook" } });
    expect(webhooks.map((w) => (w.payload as { event: string }).event)).toEqual(["return.requested"]);
    const webhookData = (webhooks[0]!.payload as { data: { returnRequest: { photos: Array<{ url: string | null; path: string }> } } }).data;
    // No base URL in the example config: the link's path only.
    expect(webhookData.returnRequest.photos[0]).toMatchObject({
      url: null,
      path: `/api/v1/returns/${input.requestId}/photos/${rows[0]!.photos[0]!.id}`,
    });
    expect(await getDb().orderEvent.count({ where: { orderId, type: "return.requested" } })).toBe(1);
  });

  it("tells the managers in the customer's topic when a managers' group is set up", async () => {
    const { deps, userId, submission } = await deliveredOrder({ managersGroup: -1001234567890n });
    const input = submission({ comment: "Box crushed" });
    expect((await submitReturn(deps, input)).type).toBe("submitted");
    const note = await getDb().outboxMessage.findFirstOrThrow({ where: { idempotencyKey: `handoff:return:${input.requestId}:managers` } });
    expect(note.chatId).toBe(-1001234567890n);
    expect((note.payload as { intent: unknown }).intent).toMatchObject({
      kind: "handoff.topic_text",
      customerChatId: String(userId),
      key: "returns.managers.requested",
      params: { items: "Green tea × 2", reason: "damaged", resolution: "refund", photos: "1", comment: "Box crushed" },
    });
    expect(await getDb().supportTopic.findUnique({ where: { chatId: userId } })).toMatchObject({ groupChatId: -1001234567890n });
  });

  it("refuses a second request for the same items, and a request after the window", async () => {
    const { deps, orderId, userId, submission } = await deliveredOrder();
    expect((await submitReturn(deps, submission())).type).toBe("submitted");
    const again = await submitReturn(deps, submission());
    expect(again).toMatchObject({ type: "already_requested", open: { status: "requested", items: [{ name: "Green tea", quantity: 2 }] } });
    expect((await loadReturnStart(deps, { orderId, telegramUserId: userId })).type).toBe("already_requested");
    expect((await submitReturn(deps, submission({ items: [{ position: 1, quantity: 1 }] }))).type).toBe("already_requested");

    const later = await deliveredOrder();
    (later.deps.clock as ManualClock).advance(14 * day);
    expect(await submitReturn(later.deps, later.submission())).toMatchObject({ type: "window_closed" });
    expect((await loadReturnStart(later.deps, { orderId: later.orderId, telegramUserId: later.userId })).type).toBe("window_closed");
    expect((await loadReturnStart(later.deps, { orderId: later.orderId, telegramUserId: 1n })).type).toBe("not_yours");
  });

  it("moves a request on once when the shop's calls race, with one message to the customer per change", async () => {
    const { deps, orderId, submission } = await deliveredOrder();
    const input = submission();
    await submitReturn(deps, input);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        updateReturnStatus(deps, { returnId: input.requestId, status: "approved", details: { instructions: { address: "Lagerstr. 5" } } }),
      ),
    );
    expect(results.filter((r) => r.type === "updated")).toHaveLength(1);
    expect(results.filter((r) => r.type === "unchanged")).toHaveLength(3);
    expect((await updateReturnStatus(deps, { returnId: input.requestId, status: "rejected", details: { reason: "worn" } })).type).toBe(
      "updated",
    );
    // Closed: nothing follows a rejection.
    expect(await updateReturnStatus(deps, { returnId: input.requestId, status: "received", details: {} })).toEqual({
      type: "not_allowed",
      from: "rejected",
      allowed: [],
    });
    const messages = await getDb().outboxMessage.findMany({ where: { orderId, channel: "telegram" } });
    const row = await getDb().returnRequest.findUniqueOrThrow({ where: { id: input.requestId } });
    expect(messages).toHaveLength((row.history as unknown[]).length);
    expect(await updateReturnStatus(deps, { returnId: "nope", status: "approved", details: {} })).toEqual({ type: "not_found" });
  });
  it("holds a status message while a person has the chat, once, and queues it again once when the chat is closed", async () => {
    const group = -1001234567891n;
    const { deps, orderId, userId, submission } = await deliveredOrder({ managersGroup: group });
    const input = submission();
    await submitReturn(deps, input);
    await updateReturnStatus(deps, {
      returnId: input.requestId,
      status: "approved",
      details: { instructions: { address: "Lagerstr. 5" } },
    });
    const intent = { kind: "return.status" as const, returnId: input.requestId, seq: 1 };
    const note = { orderNumber: "RET", status: "approved", message: "Approved" };

    // The bot has the chat: nothing is held.
    expect(await holdReturnMessageIfWithPerson(deps, { chatId: userId, orderId, intent, managersNote: note })).toEqual({
      type: "bot_has_chat",
    });
    expect((await escalateOrder(deps, { orderId, reason: "customer_request" })).type).toBe("escalated");
    const first = await holdReturnMessageIfWithPerson(deps, { chatId: userId, orderId, intent, managersNote: note });
    // A repeat (the outbox delivering the row again after a crash) changes nothing.
    expect(await holdReturnMessageIfWithPerson(deps, { chatId: userId, orderId, intent, managersNote: note })).toEqual(first);
    expect(first.type).toBe("held");
    const handoffId = first.type === "held" ? first.handoffId : "";
    expect(await getDb().orderEvent.count({ where: { orderId, type: "return.message_held" } })).toBe(1);
    const lines = await getDb().outboxMessage.findMany({
      where: { idempotencyKey: `handoff:return:${input.requestId}:status:1:held:${handoffId}` },
    });
    expect(lines.map((l) => [l.chatId, (l.payload as { intent: { key: string } }).intent.key])).toEqual([
      [group, "returns.managers.statusHeld"],
    ]);

    // Closed by a manager: the chat is the bot's again and the held message is queued, once.
    expect((await endHandoff(deps, { handoffId, manager: { id: 42n, name: "Maria" }, how: { type: "close" } })).type).toBe("ended");
    const released = () =>
      getDb().outboxMessage.findMany({ where: { idempotencyKey: `return:${input.requestId}:status:1:after:${handoffId}` } });
    expect((await released()).map((r) => [r.chatId, r.status, (r.payload as { intent: unknown }).intent])).toEqual([
      [userId, "pending", intent],
    ]);
    expect(await withTransaction(getDb(), (tx) => releaseHeldReturnMessages(tx, deps, { chatId: userId, now: deps.clock.now() }))).toBe(0);
    expect(await released()).toHaveLength(1);
  });
});
