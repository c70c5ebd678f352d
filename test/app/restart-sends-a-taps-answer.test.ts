import { afterEach, describe, expect, it } from "vitest";
import type { Message, Update } from "grammy/types";
import { createPrismaClient } from "../../src/db/create-prisma-client.js";
import type { DatabaseProvider } from "../../src/db/database-url.js";
import type { Prisma } from "../../src/db/models.js";
import type { CustomerCommand } from "../../src/domain/order-dialog.js";
import { applyCustomerCommand } from "../../src/services/apply-customer-command.js";
import type { TelegramTestUser } from "../../src/telegram-standin/telegram-test-user.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog } from "../support/order-payload.js";

const provider: DatabaseProvider = process.env.CI === "true" ? "postgresql" : "sqlite";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const buttonData = (message: Message, text: string): string => {
  const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.text === text);
  if (!button || !("callback_data" in button)) throw new Error(`no "${text}" button on the message`);
  return button.callback_data;
};

/**
 * What an instance killed (kill -9) between committing a tap's change and showing it leaves: the
 * change and its owed answer in the database, the update taken and never marked handled. The
 * commands are committed by the service as the handler would, with nothing sent after the commit.
 */
async function tapsCommittedThenKilled(
  h: Harness,
  customer: TelegramTestUser,
  readBack: Message,
  taps: Array<{ button: string; command: CustomerCommand }>,
) {
  const orderId = (await h.app.services.db.order.findFirstOrThrow({ where: { chatId: BigInt(customer.id) } })).id;
  await h.restart(async () => {
    const db = await createPrismaClient(h.database.url);
    try {
      const killed = { ...h.app.services, db, outbox: { kick: () => {}, deliverNow: async () => {} } };
      for (const [index, { button, command }] of taps.entries()) {
        const tap: Update = {
          update_id: 910_000_000 + index,
          callback_query: {
            id: `91000000${index}`,
            from: customer.user,
            message: readBack,
            chat_instance: "1",
            data: buttonData(readBack, button),
          },
        };
        // SQLite's lock proves the taker is dead; on PostgreSQL the update is old enough to be abandoned.
        const receivedAt = new Date(h.app.services.clock.now().getTime() - (provider === "sqlite" ? 0 : 3 * 60_000));
        await db.inboundUpdate.create({
          data: {
            updateId: BigInt(tap.update_id),
            payload: tap as unknown as Prisma.InputJsonValue,
            receivedAt,
            receivedBy: "a-killed-instance/1",
          },
        });
        const result = await applyCustomerCommand(killed, {
          orderId,
          telegramUserId: BigInt(customer.id),
          command,
          answerTo: { messageId: readBack.message_id, telegramLanguage: "en" },
        });
        expect(result.type).toBe("accepted");
      }
    } finally {
      await db.$disconnect();
    }
  });
  return orderId;
}

/** Every request the bot makes from now on to edit one message (answered or refused), with its text. */
function editRequestsTo(h: Harness, messageId: number): Array<string | undefined> {
  const texts: Array<string | undefined> = [];
  h.standin.events.on("api-call", (call) => {
    if (call.method.startsWith("edit") && call.params.message_id === messageId)
      texts.push(typeof call.params.text === "string" ? call.params.text : undefined);
  });
  return texts;
}

describe(`a tap whose change was committed by an instance killed before it answered (${provider})`, () => {
  it("is answered at the restart: the customer's message shows the order confirmed, once, without the Confirm buttons", async () => {
    harness = await startHarness({ provider });
    const h = harness;
    const { order, customer, readBack } = await openOrderDialog(h);
    const edits = editRequestsTo(h, readBack.message_id);

    await tapsCommittedThenKilled(h, customer, readBack, [{ button: "✅ Confirm", command: { type: "confirm" } }]);

    const confirmed = await customer.waitForEdit(readBack.message_id, { timeoutMs: 5000 });
    expect(confirmed.text).toContain("Confirmed.");
    expect(confirmed.reply_markup).toBeUndefined();
    await h.webhooks.waitFor("order.confirmed", { orderId: order.id });
    // The replayed tap was refused as stale; the answer the change owed went out, once.
    await expect
      .poll(
        async () =>
          (await h.app.services.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `dialog-view:${order.id}:v1` } })).status,
        { timeout: 5000 },
      )
      .toBe("sent");
    await h.restart();
    const other = h.addCustomer();
    await other.sendText("/start");
    await other.waitForMessage((m) => m.text?.includes("This is Demo Shop") ?? false);
    expect(edits.map((text) => text?.includes("Confirmed."))).toEqual([true]);
    expect(customer.messages.filter((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === "✅ Confirm"))).toEqual([]);
    expect(h.webhooks.ofType("order.confirmed").filter((w) => w.body.data.order.id === order.id)).toHaveLength(1);
  });

  it(
    'of "Talk to a person" is answered at the restart: the customer is told a person will answer, once, before the handoff\'s ' + "notice",
    async () => {
      harness = await startHarness({ provider });
      const h = harness;
      const { customer, readBack } = await openOrderDialog(h);

      await tapsCommittedThenKilled(h, customer, readBack, [{ button: "🙋 Talk to a person", command: { type: "request_human" } }]);

      const promised = await customer.waitForMessage(
        (m) => m.text?.includes("A person from Demo Shop will answer you here as soon as possible") ?? false,
        { timeoutMs: 5000 },
      );
      const notice = await customer.waitForMessage((m) => m.text?.includes("A person from Demo Shop will answer you here") ?? false, {
        timeoutMs: 5000,
      });
      expect(notice.message_id).toBeGreaterThan(promised.message_id);
      await h.restart();
      const other = h.addCustomer();
      await other.sendText("/start");
      await other.waitForMessage((m) => m.text?.includes("This is Demo Shop") ?? false);
      expect(customer.messages.filter((m) => m.text?.includes("as soon as possible"))).toHaveLength(1);
    },
  );

  it("shows only the newest of two owed views: the older one never overwrites it", async () => {
    harness = await startHarness({ provider });
    const h = harness;
    const { order, customer, readBack } = await openOrderDialog(h);
    const edits = editRequestsTo(h, readBack.message_id);

    // "Change something", then "Back": both committed, neither shown.
    await tapsCommittedThenKilled(h, customer, readBack, [
      { button: "✏️ Change something", command: { type: "open_edit_menu" } },
      { button: "✏️ Change something", command: { type: "back_to_read_back" } },
    ]);

    await expect
      .poll(
        async () =>
          (
            await h.app.services.db.outboxMessage.findMany({
              where: { orderId: order.id, idempotencyKey: { startsWith: "dialog-view:" } },
              orderBy: { idempotencyKey: "asc" },
            })
          ).map((row) => row.status),
        { timeout: 5000 },
      )
      .toEqual(["skipped", "sent"]);
    // One edit, to the newest state: the older view was not sent over it.
    expect(edits.map((text) => text?.includes("Is everything correct?"))).toEqual([true]);
    const shown = customer.messages.find((m) => m.message_id === readBack.message_id)!;
    expect(shown.text).toContain("Is everything correct?");
    expect(shown.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain("✅ Confirm");
  });
});
