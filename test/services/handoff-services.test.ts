import { beforeEach, expect, it } from "vitest";
import { findActiveHandoff } from "../../src/db/handoff-repository.js";
import { findOrder } from "../../src/db/order-repository.js";
import { escalateOrder } from "../../src/services/escalate-order.js";
import { endHandoff } from "../../src/services/handoff/end-handoff.js";
import { changeDeliverySlot } from "../../src/services/handoff/manager-delivery.js";
import { takeHandoff } from "../../src/services/handoff/take-handoff.js";
import { receiveOrder } from "../../src/services/receive-order.js";
import { testServiceDependencies } from "../support/service-dependencies.js";
import { describeEachDatabase } from "../support/test-database.js";
import { anOrder } from "../support/order-builder.js";
import type { ManualClock } from "../../src/shared/clock.js";

let chatSeq = 900_000_000n;

describeEachDatabase("handing a chat to a manager", (getDb) => {
  let deps: ReturnType<typeof testServiceDependencies>;
  beforeEach(() => {
    deps = testServiceDependencies(getDb());
    const config = deps.config();
    config.managers.groupChatId = -1001234567890n;
    // One place per window, so the second manager's pick finds the window full.
    config.delivery.courier.windows = [
      { window: "10:00-14:00", capacity: 1 },
      { window: "14:00-18:00", capacity: 1 },
    ];
  });

  /** An order linked to a chat the bot knows (its read-back would go out through the outbox). */
  async function linkedOrder() {
    const chatId = chatSeq++;
    await getDb().telegramChat.create({ data: { id: chatId, type: "private" } });
    const order = anOrder({ externalId: `H-${chatId}` });
    const created = await receiveOrder(deps, {
      externalId: order.externalId,
      customer: { name: "Anna", phone: null, telegramUserId: chatId, language: "en" },
      currency: "EUR",
      items: order.items,
      delivery: order.delivery,
      comment: null,
    });
    if (created.type !== "created") throw new Error(created.type);
    return { orderId: created.record.order.id, chatId };
  }

  it("lets exactly one of two managers racing for Take own the chat, and tells the other who has it", async () => {
    const { orderId, chatId } = await linkedOrder();
    expect((await escalateOrder(deps, { orderId, reason: "customer_request" })).type).toBe("escalated");
    const handoff = (await findActiveHandoff(getDb(), chatId))!;
    const results = await Promise.all([
      takeHandoff(deps, { handoffId: handoff.id, manager: { id: 1n, name: "Maria" } }),
      takeHandoff(deps, { handoffId: handoff.id, manager: { id: 2n, name: "Max" } }),
    ]);
    expect(results.map((r) => r.type).sort()).toEqual(["already_taken", "taken"]);
    const winner = results[0].type === "taken" ? "Maria" : "Max";
    expect(results.find((r) => r.type === "already_taken")).toMatchObject({ by: winner, byYou: false });
    const owner = (await findOrder(getDb(), orderId))!.dialog.owner;
    expect(owner).toBe(winner === "Maria" ? "manager:1" : "manager:2");
  });

  it("keeps one open handoff per chat, hands it back once, and gives the chat back to the bot", async () => {
    const { orderId, chatId } = await linkedOrder();
    await escalateOrder(deps, { orderId, reason: "keyword", detail: "complaint" });
    expect((await escalateOrder(deps, { orderId, reason: "low_rating" })).type).toBe("already_with_people");
    const handoff = (await findActiveHandoff(getDb(), chatId))!;
    await takeHandoff(deps, { handoffId: handoff.id, manager: { id: 1n, name: "Maria" } });
    const ends = await Promise.all([
      endHandoff(deps, { handoffId: handoff.id, manager: { id: 1n, name: "Maria" }, how: { type: "hand_back", resume: "where_stopped" } }),
      endHandoff(deps, { handoffId: handoff.id, manager: { id: 1n, name: "Maria" }, how: { type: "close" } }),
    ]);
    expect(ends.map((r) => r.type).sort()).toEqual(["already_ended", "ended"]);
    expect(await findActiveHandoff(getDb(), chatId)).toBeNull();
    expect((await findOrder(getDb(), orderId))!.dialog.owner).toBe("bot");
    const jobs = await getDb().job.findMany({ where: { orderId }, select: { kind: true, status: true } });
    expect(jobs.filter((job) => job.kind.startsWith("handoff.")).map((job) => job.status)).toEqual(["cancelled"]);
  });

  it(
    "lets a manager set the courier window from the card: the place is taken, the shop and the customer hear of it, and a full window " +
      "is refused",
    async () => {
      const maria = { id: 1n, name: "Maria" };
      const taken = async () => {
        const { orderId, chatId } = await linkedOrder();
        await escalateOrder(deps, { orderId, reason: "customer_request" });
        const handoff = (await findActiveHandoff(getDb(), chatId))!;
        await takeHandoff(deps, { handoffId: handoff.id, manager: maria });
        return { orderId, chatId, handoffId: handoff.id };
      };
      const first = await taken();
      const second = await taken();
      // Monday 23 November, 11:00 in Berlin: Thursday's 14:00-18:00 is on offer (window 1 of the config).
      const slot = { date: "2026-11-26", windowIndex: 1, pickerMessageId: null };
      expect(await changeDeliverySlot(deps, { handoffId: first.handoffId, manager: maria, ...slot })).toEqual({
        type: "changed",
        date: "2026-11-26",
        window: "14:00-18:00",
      });
      expect((await findOrder(getDb(), first.orderId))!.order.delivery).toMatchObject({
        date: "2026-11-26",
        window: "14:00-18:00",
        slotBooked: true,
      });
      expect(
        await getDb().deliverySlot.findUnique({ where: { date_window: { date: "2026-11-26", window: "14:00-18:00" } } }),
      ).toMatchObject({
        booked: 1,
      });
      const history = await getDb().orderEvent.findMany({ where: { orderId: first.orderId, type: { startsWith: "manager." } } });
      expect(history.map((event) => event.type)).toEqual(expect.arrayContaining(["manager.slot_chosen", "manager.delivery_changed"]));
      expect(new Set(history.map((event) => event.actor))).toEqual(new Set(["manager:1"]));
      expect(history.find((event) => event.type === "manager.delivery_changed")?.data).toMatchObject({
        manager: "Maria",
        delivery: { date: "2026-11-26", window: "14:00-18:00" },
      });
      const outbox = await getDb().outboxMessage.findMany({ where: { orderId: first.orderId } });
      expect(outbox.filter((row) => (row.payload as { event?: string }).event === "order.changed")).toHaveLength(1);
      expect(
        outbox.some(
          (row) =>
            row.chatId === first.chatId && (row.payload as { intent?: { kind?: string } }).intent?.kind === "handoff.delivery_changed",
        ),
      ).toBe(true);

      // The same window for another order: full now, and that order keeps its delivery.
      expect(await changeDeliverySlot(deps, { handoffId: second.handoffId, manager: maria, ...slot })).toEqual({
        type: "rejected",
        code: "SLOT_FULL",
      });
      expect((await findOrder(getDb(), second.orderId))!.order.delivery).toMatchObject({ date: "2026-11-25", window: "10:00-14:00" });
      expect(
        await getDb().deliverySlot.findUnique({ where: { date_window: { date: "2026-11-26", window: "14:00-18:00" } } }),
      ).toMatchObject({
        booked: 1,
      });
      // Sunday is a day off: not on offer to the customer, so not to the manager either.
      expect(
        await changeDeliverySlot(deps, {
          handoffId: second.handoffId,
          manager: maria,
          date: "2026-11-29",
          windowIndex: 0,
          pickerMessageId: null,
        }),
      ).toEqual({ type: "rejected", code: "NOT_OFFERED" });
    },
  );
  it("tells the customer of a handover the bot made on its own at the next contact time, after what is queued for the chat", async () => {
    const { orderId, chatId } = await linkedOrder();
    // Tuesday 24 November, 22:30 in Berlin: after contact hours (09:00-21:00).
    (deps.clock as ManualClock).set("2026-11-24T21:30:00Z");
    const now = deps.clock.now();
    // The apology the handover follows, already queued for the next morning.
    const apologyAt = new Date("2026-11-25T08:07:00Z");
    await getDb().outboxMessage.create({
      data: {
        id: "apology-1",
        channel: "telegram",
        chatId,
        orderId,
        payload: { intent: { kind: "test.apology" } },
        idempotencyKey: "apology-1",
        status: "pending",
        attempts: 0,
        nextAttemptAt: apologyAt,
        createdAt: now,
      },
    });
    expect((await escalateOrder(deps, { orderId, reason: "broken_promise", detail: "promised 2026-11-24" })).type).toBe("escalated");
    const notice = await noticeRow(chatId);
    expect(notice.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(apologyAt.getTime());
    expect(notice.payload).toMatchObject({ withinContactHours: true });
  });

  it("answers a customer who asks for a person at night at once", async () => {
    const { orderId, chatId } = await linkedOrder();
    (deps.clock as ManualClock).set("2026-11-24T21:30:00Z");
    expect((await escalateOrder(deps, { orderId, reason: "customer_request" })).type).toBe("escalated");
    expect((await noticeRow(chatId)).nextAttemptAt).toEqual(deps.clock.now());
  });

  async function noticeRow(chatId: bigint) {
    const rows = await getDb().outboxMessage.findMany({ where: { chatId } });
    const notice = rows.find((row) => JSON.stringify(row.payload).includes('"handoff.notice"'));
    if (!notice) throw new Error(`no handoff notice among ${rows.length} messages`);
    return notice;
  }
});
