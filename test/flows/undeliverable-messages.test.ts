import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness.js";
import { followUpConfig, isOrderCard, managersGroup } from "../support/follow-up-kit.js";
import { orderPayload } from "../support/order-payload.js";

// A message Telegram refuses for good (issue 14, item 2): the order must not wait unseen.

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("a message Telegram will never take", () => {
  it("tells the shop with order.undeliverable, keeps it in the history, and gives the order to a person", async () => {
    const group = managersGroup();
    const h = (harness = await startHarness({ configYaml: followUpConfig(), prepare: group.prepare }));
    // A customer the bot talked to once, whose Telegram account is gone since: "chat not found".
    const goneUserId = 990_000_123;
    await h.database.db.telegramChat.create({ data: { id: BigInt(goneUserId), type: "private" } });
    const created = await h.api(
      "POST",
      "/orders",
      orderPayload({ customer: { name: "Anna", phone: "+49 170 9990123", telegramUserId: goneUserId } }),
    );
    expect(created.status).toBe(201);

    const undeliverable = await h.webhooks.waitFor("order.undeliverable", { orderId: created.body.id });
    expect(undeliverable.body.data).toMatchObject({
      reason: expect.stringContaining("chat not found"),
      message: expect.any(String),
      order: { externalId: created.body.externalId },
    });
    const escalated = await h.webhooks.waitFor("order.escalated", { orderId: created.body.id });
    expect(escalated.body.data).toMatchObject({ reason: "flow_failure", order: { dialog: { owner: "waiting_manager" } } });
    // The managers see the order's card in the customer's topic.
    await group.managers.maria.waitForMessage(isOrderCard(created.body.externalId), { chat: group.managers.group, timeoutMs: 5000 });

    const view = (await h.api("GET", `/orders/${created.body.id}`)).body;
    expect(view.history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: "message.undeliverable",
          actor: "system",
          data: expect.objectContaining({ reason: expect.stringContaining("chat not found") }),
        }),
      ]),
    );
    const outbox = await h.database.db.outboxMessage.findMany({
      where: { orderId: created.body.id, channel: "telegram", chatId: BigInt(goneUserId) },
    });
    expect(outbox.length).toBeGreaterThan(0);
    expect(outbox.map((row) => row.status)).toEqual(outbox.map(() => "failed"));
  });
});
