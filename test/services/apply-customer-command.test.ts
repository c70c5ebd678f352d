import { expect, it } from "vitest";
import { applyCustomerCommand } from "../../src/services/apply-customer-command.js";
import { linkByStartToken } from "../../src/services/link-customer.js";
import { receiveOrder, type ReceivedOrder } from "../../src/services/receive-order.js";
import { testServiceDependencies } from "../support/service-dependencies.js";
import { describeEachDatabase } from "../support/test-database.js";

describeEachDatabase("customer commands decided concurrently", (getDb) => {
  let seq = 0;
  const orderInput = (externalId: string, delivery: ReceivedOrder["delivery"]): ReceivedOrder => ({
    externalId: `${externalId}-${Math.random()}`,
    customer: { name: "Anna", phone: `+4917000${seq}1234`, telegramUserId: null, language: "en" },
    currency: "EUR",
    items: [
      { position: 0, sku: "TEA-1", name: "Green tea", quantity: 2, unitPriceMinor: 450n, available: null, substitutes: [] },
      { position: 1, sku: "CUP-7", name: "Clay cup", quantity: 1, unitPriceMinor: 1290n, available: null, substitutes: [] },
    ],
    delivery,
    comment: null,
  });
  const placesTaken = async (date: string, window: string) =>
    (await getDb().deliverySlot.findFirst({ where: { date, window } }))?.booked ?? 0;

  async function linkedOrder(
    delivery: ReceivedOrder["delivery"] = { method: "post", address: "Hauptstr. 1, 10115 Berlin", date: null, window: null },
  ) {
    const deps = testServiceDependencies(getDb());
    seq++;
    const payload = orderInput(`CONC-${seq}`, delivery);
    const received = await receiveOrder(deps, payload);
    const userId = BigInt(900_000 + seq);
    const linked = await linkByStartToken(deps, received.record.startToken!, {
      id: userId,
      type: "private",
      username: null,
      languageCode: "en",
      firstName: "Anna",
    });
    expect(linked.type).toBe("linked");
    return { deps, orderId: received.record.order.id, userId, payload };
  }

  it("confirms an order once however many confirmations race", async () => {
    const { deps, orderId, userId } = await linkedOrder();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => applyCustomerCommand(deps, { orderId, telegramUserId: userId, command: { type: "confirm" } })),
    );
    expect(results.filter((r) => r.type === "accepted")).toHaveLength(1);
    expect(results.filter((r) => r.type === "rejected").map((r) => (r as { code: string }).code)).toEqual(Array(5).fill("ORDER_FINAL"));
    const webhooks = await getDb().outboxMessage.findMany({ where: { orderId, channel: "webhook" } });
    expect(webhooks.map((w) => (w.payload as { event: string }).event)).toEqual(["order.confirmed"]);
  });

  it("loses no change when quantity changes race: each one starts from the one before", async () => {
    const { deps, orderId, userId } = await linkedOrder();
    const quantities = [3, 4, 5, 6, 7];
    const results = await Promise.all(
      quantities.map((quantity) =>
        applyCustomerCommand(deps, { orderId, telegramUserId: userId, command: { type: "set_quantity", position: 0, quantity } }),
      ),
    );
    expect(results.every((r) => r.type === "accepted")).toBe(true);
    const events = await getDb().orderEvent.findMany({
      where: { orderId, type: "customer.quantity_changed" },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
    const chain = events.map((e) => e.data as { from: number; to: number });
    expect(chain).toHaveLength(5);
    expect(chain[0]!.from).toBe(2);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.from).toBe(chain[i - 1]!.to);
    const item = await getDb().orderItem.findFirstOrThrow({ where: { orderId, position: 0 } });
    expect(item.quantity).toBe(chain.at(-1)!.to);
    const order = await getDb().order.findUniqueOrThrow({ where: { id: orderId } });
    // items, plus post at 3.50 (not free below 50.00)
    expect(order.totalMinor).toBe(BigInt(item.quantity) * 450n + 1290n + 350n);
  });

  it("holds one place in a window when one customer's taps on it race", async () => {
    const { deps, orderId, userId } = await linkedOrder({
      method: "courier",
      address: "Hauptstr. 1, 10115 Berlin",
      date: null,
      window: null,
    });
    const apply = (command: Parameters<typeof applyCustomerCommand>[1]["command"]) =>
      applyCustomerCommand(deps, { orderId, telegramUserId: userId, command });
    expect((await apply({ type: "choose_day", date: "2026-11-24" })).type).toBe("accepted");
    const results = await Promise.all(Array.from({ length: 5 }, () => apply({ type: "choose_window", window: "14:00-18:00" })));
    expect(results.filter((r) => r.type === "accepted")).toHaveLength(1);
    expect(await placesTaken("2026-11-24", "14:00-18:00")).toBe(1);
    // Cancelling gives the place back.
    expect((await apply({ type: "cancel", reason: "changed_mind" })).type).toBe("accepted");
    expect(await placesTaken("2026-11-24", "14:00-18:00")).toBe(0);
  });

  it("never undoes a confirmation when the shop re-sends the order at the same moment", async () => {
    for (let round = 0; round < 4; round++) {
      const { deps, orderId, userId, payload } = await linkedOrder();
      // The Confirm button carries the version of the read-back it is under, as in the chat.
      const shown = (await getDb().orderDialog.findUniqueOrThrow({ where: { orderId } })).version;
      const [confirmed, resent] = await Promise.all([
        applyCustomerCommand(deps, { orderId, telegramUserId: userId, command: { type: "confirm" }, expectedVersion: shown }),
        receiveOrder(deps, { ...payload, comment: "Leave it at the door" }),
      ]);
      const order = await getDb().order.findUniqueOrThrow({ where: { id: orderId } });
      if (confirmed.type === "accepted") {
        // Confirmed first: the shop's change comes too late and is refused; the order stays confirmed.
        expect(resent.type).toBe("final");
        expect(order.state).toBe("confirmed");
      } else {
        // The change came first: the customer's Confirm was on the old read-back.
        expect(resent.type).toBe("updated");
        expect(order.state).toBe("awaiting_customer");
        expect(order.comment).toBe("Leave it at the door");
      }
    }
  });

  it("gives an order to one of two people opening its link at the same moment", async () => {
    const deps = testServiceDependencies(getDb());
    seq++;
    const received = await receiveOrder(
      deps,
      orderInput(`LINK-${seq}`, { method: "post", address: "Hauptstr. 1, 10115 Berlin", date: null, window: null }),
    );
    const person = (id: number) => ({ id: BigInt(id), type: "private", username: null, languageCode: "en", firstName: `P${id}` });
    const results = await Promise.all(
      [910_001 + seq * 10, 910_002 + seq * 10, 910_003 + seq * 10].map((id) =>
        linkByStartToken(deps, received.record.startToken!, person(id)),
      ),
    );
    expect(results.map((r) => r.type).sort()).toEqual(["claimed_by_other", "claimed_by_other", "linked"]);
    const linked = results.find((r) => r.type === "linked") as { record: { chatId: bigint } };
    expect((await getDb().order.findUniqueOrThrow({ where: { id: received.record.order.id } })).chatId).toBe(linked.record.chatId);
  });

  it("holds the place of a courier window the shop put in the order, and moves it when the shop changes it", async () => {
    const deps = testServiceDependencies(getDb());
    seq++;
    const input = orderInput(`SLOT-${seq}`, {
      method: "courier",
      address: "Hauptstr. 1, 10115 Berlin",
      date: "2026-11-26",
      window: "10:00-14:00",
    });
    await receiveOrder(deps, input);
    expect(await placesTaken("2026-11-26", "10:00-14:00")).toBe(1);
    await receiveOrder(deps, { ...input, delivery: { ...input.delivery!, window: "18:00-21:00" } });
    expect(await placesTaken("2026-11-26", "10:00-14:00")).toBe(0);
    expect(await placesTaken("2026-11-26", "18:00-21:00")).toBe(1);
  });

  it("gives the last unit in stock to one of two customers confirming at once, and asks the other again", async () => {
    const sku = `LAST-${Math.random()}`;
    await getDb().stockLevel.create({ data: { sku, available: 1 } });
    const orders = [];
    for (let i = 0; i < 2; i++) {
      const { deps, orderId, userId } = await linkedOrder();
      await getDb().orderItem.updateMany({ where: { orderId, position: 0 }, data: { sku, quantity: 1, available: null } });
      orders.push({ deps, orderId, userId });
    }
    const results = await Promise.all(
      orders.map(({ deps, orderId, userId }) =>
        applyCustomerCommand(deps, { orderId, telegramUserId: userId, command: { type: "confirm" } }),
      ),
    );
    const events = results.map((r) => (r.type === "accepted" ? r.events.map((e) => e.type) : [r.type]));
    expect(events).toEqual(expect.arrayContaining([["confirmed"], ["shortage_found"]]));
    const states = await Promise.all(
      orders.map(({ orderId }) =>
        getDb()
          .order.findUniqueOrThrow({ where: { id: orderId } })
          .then((o) => o.state),
      ),
    );
    expect(states.sort()).toEqual(["awaiting_customer", "confirmed"]);
    expect((await getDb().stockLevel.findUniqueOrThrow({ where: { sku } })).available).toBe(0);
  });

  it("refuses the commands of another Telegram user", async () => {
    const { deps, orderId } = await linkedOrder();
    const result = await applyCustomerCommand(deps, { orderId, telegramUserId: 1n, command: { type: "confirm" } });
    expect(result).toEqual({ type: "not_yours" });
    expect((await getDb().order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe("awaiting_customer");
  });
});
