import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness.js";
import { followUpConfig, isOrderCard, knownCustomer, managersGroup } from "../support/follow-up-kit.js";
import { orderPayload } from "../support/order-payload.js";

// A second order while the customer's chat is with a person (issue 17, item 4): it never waits
// unseen. The managers see it at once, the shop is told, and the bot reads it back on hand back.

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const wait = { timeoutMs: 5000 };

describe("a new order while the chat is with a person", () => {
  it("shows on the manager's side at once, is reported to the shop, and is read back when the chat comes back to the bot", async () => {
    const group = managersGroup();
    const h = (harness = await startHarness({ configYaml: followUpConfig(), prepare: group.prepare }));
    const { managers } = group;
    const anna = await knownCustomer(h, { firstName: "Anna" });
    const who = { name: "Anna", phone: `+49 170 66${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`, telegramUserId: anna.id };
    const first = (await h.api("POST", "/orders", orderPayload({ customer: who }))).body;
    await anna.waitForMessage((m) => m.text?.includes(first.externalId) ?? false);
    await anna.tapButton("🙋 Talk to a person");
    const card = await managers.maria.waitForMessage(isOrderCard(first.externalId), { chat: managers.group, ...wait });

    // While the chat waits for a person, the shop sends another order for Anna.
    const second = (await h.api("POST", "/orders", orderPayload({ customer: who }))).body;
    const line = await managers.maria.waitForMessage((m) => m.text?.includes(`New order ${second.externalId}`) ?? false, {
      chat: managers.group,
      ...wait,
    });
    expect(line.message_thread_id).toBe(card.message_thread_id);
    expect(line.text).toBe(
      `🆕 New order ${second.externalId} arrived (€26.80): not read back yet. The bot reads it back to the customer when the chat is ` +
        `handed back.`,
    );
    const told = await h.webhooks.waitFor("order.escalated", { orderId: second.id });
    expect(told.body.data).toMatchObject({ reason: "chat_with_person", order: { id: second.id, dialog: { owner: "waiting_manager" } } });
    // Nothing automatic talks over the person meanwhile: the read-back waits.
    await expect
      .poll(() =>
        h.database.db.outboxMessage
          .findFirst({ where: { orderId: second.id, idempotencyKey: `order:${second.id}:read_back:v0` } })
          .then((row) => row?.status),
      )
      .toBe("skipped");
    expect(anna.messages.some((m) => m.text?.includes(`Order ${second.externalId}`))).toBe(false);

    // Maria takes the chat and hands it back: Anna gets the new order read back, with its buttons.
    await managers.maria.tapButton("🙋 Take", { chat: managers.group, messageId: card.message_id, ...wait });
    const cardNow = () => managers.maria.messagesIn({ chat: managers.group }).find((m) => m.message_id === card.message_id);
    await expect
      .poll(
        () =>
          cardNow()
            ?.reply_markup?.inline_keyboard.flat()
            .map((b) => b.text),
        { timeout: 5000 },
      )
      .toContain("↩️ Hand back");
    // The card lists the new order beside the first.
    expect(cardNow()?.text).toContain(`🧾 ${second.externalId} · not confirmed yet`);
    await managers.maria.tapButton("↩️ Hand back", { chat: managers.group, messageId: card.message_id, ...wait });
    const readBack = await anna.waitForMessage(
      (m) =>
        (m.text?.includes(`Order ${second.externalId}`) ?? false) &&
        (m.reply_markup?.inline_keyboard.flat().some((b) => b.text === "✅ Confirm") ?? false),
      wait,
    );
    expect(readBack.text).toContain("1. Green tea: 2 × €4.50");
    expect((await h.api("GET", `/orders/${second.id}`)).body.dialog.owner).toBe("bot");
  });
});
