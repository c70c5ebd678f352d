import type { Message } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigFile } from "../../src/config/config-schema.js";
import { escalateOrder } from "../../src/services/escalate-order.js";
import { ManualClock } from "../../src/shared/clock.js";
import type { TelegramTestGroup, TelegramTestUser } from "../../src/telegram-standin/index.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog } from "../support/order-payload.js";

/**
 * The managers' side of ordergram over real HTTP: a forum supergroup in the stand-in, managers
 * who tap the card's buttons and write in topics, customers who write to the bot.
 */

const wait = { timeoutMs: 5000 };
const poll = { timeout: 5000 };
const isCard = (externalId: string) => (m: Message) => (m.text?.startsWith("🆘") ?? false) && m.text!.includes(externalId);
const buttonsOf = (m: Message | undefined) => m?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
/** A message of the group as it is now (edits applied). */
const current = (harness: Harness, group: TelegramTestGroup, messageId: number) => harness.standin.messages(group.id).find((msg) => msg.message_id === messageId);

interface Managers {
  group: TelegramTestGroup;
  maria: TelegramTestUser;
  max: TelegramTestUser;
  outsider: TelegramTestUser;
}

/** The shop's managers' forum: Maria (admin) and Max (member); the outsider is in no group. */
function withManagersGroup(options: { reping?: { afterMinutes: number; times: number }; perGroupPerMinute?: number } = {}) {
  const managers = {} as Managers;
  return {
    managers,
    prepare: (standin: Harness["standin"], file: ConfigFile) => {
      managers.maria = standin.addUser({ firstName: "Maria", languageCode: "en" });
      managers.max = standin.addUser({ firstName: "Max", languageCode: "en" });
      managers.outsider = standin.addUser({ firstName: "Olaf", languageCode: "en" });
      managers.group = standin.addForumGroup({ title: "Demo Shop managers", members: [managers.max], admins: [managers.maria] });
      file.managers.groupChatId = managers.group.id;
      file.managers.mention = ["maria_demo_shop"];
      file.managers.workingHours = null;
      if (options.reping) file.managers.reping = options.reping;
      // Telegram allows ~20 a minute per group; the tests that are not about pacing go faster.
      file.telegram.rateLimits.perGroupPerMinute = options.perGroupPerMinute ?? 600;
    },
  };
}

describe("a customer's chat goes to a manager and back", () => {
  let harness: Harness;
  const setup = withManagersGroup();
  const m = setup.managers;
  beforeAll(async () => {
    harness = await startHarness({ prepare: setup.prepare });
  });
  afterAll(() => harness.close());

  /** The customer asks for a person from the order's buttons; returns the card in their new topic. */
  async function escalatedFromButton() {
    const opened = await openOrderDialog(harness);
    await opened.customer.tapButton("🙋 Talk to a person");
    const card = await m.maria.waitForMessage(isCard(opened.order.externalId), { chat: m.group, ...wait });
    return { ...opened, card, threadId: card.message_thread_id! };
  }

  it("opens a topic with the order card, two managers race for Take, relays both ways, keeps notes internal, hands back to the interrupted step and asks for a rating", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness);
    await customer.tapButton("✏️ Change something");
    await customer.tapButton("🙋 Talk to a person");

    // The customer is told a person will answer, and when.
    expect((await customer.waitForMessage((msg) => msg.text?.includes("within 15 minutes") ?? false, wait)).text).toBe(
      "A person from Demo Shop will answer you here within 15 minutes.",
    );

    // A topic for the customer, opened with a compact card.
    const card = await m.maria.waitForMessage(isCard(order.externalId), { chat: m.group, ...wait });
    const threadId = card.message_thread_id!;
    expect(harness.standin.topics(m.group.id).find((topic) => topic.message_thread_id === threadId)?.name).toBe(`Anna · ${order.externalId}`);
    for (const line of ["🆘 Anna", `🧾 ${order.externalId} · not confirmed yet · €`, "🤖 The bot was at: changing the order", "❓ Why: the customer asked for a person", "⏳ Waiting for a manager"]) {
      expect(card.text).toContain(line);
    }
    expect(buttonsOf(card)).toEqual(["🙋 Take", "🔒 Close"]);
    expect((await harness.api("GET", `/orders/${order.id}`)).body.dialog.owner).toBe("waiting_manager");

    // While waiting, the customer's messages already go to the topic, and the bot stays silent.
    await customer.sendText("My parcel box is broken, can someone call me?");
    const relayed = await m.maria.waitForMessage((msg) => msg.text?.includes("parcel box") ?? false, { chat: m.group, threadId, ...wait });
    expect(relayed.text).toBe("👤 Anna: My parcel box is broken, can someone call me?");
    expect(customer.messages.some((msg) => msg.text?.startsWith("Sorry, I did not understand"))).toBe(false);

    // Two managers tap Take at once: exactly one gets the chat, the other is told who has it.
    const [byMaria, byMax] = await Promise.all([
      m.maria.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait }),
      m.max.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait }),
    ]);
    const answers = [byMaria.text, byMax.text];
    expect(answers.filter((text) => text?.startsWith("The chat is yours"))).toHaveLength(1);
    const winner = byMaria.text?.startsWith("The chat is yours") ? m.maria : m.max;
    const loser = winner === m.maria ? byMax : byMaria;
    expect(loser).toMatchObject({ text: `${winner.user.first_name} already has this chat.`, showAlert: true });
    const owner = winner.user.first_name;
    await customer.waitForMessage((msg) => msg.text === `${owner} from Demo Shop is with you now and will help you here.`, wait);
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain(`👤 ${owner} has the chat`);
    expect(buttonsOf(current(harness, m.group, card.message_id))).toEqual(["↩️ Hand back", "↩️ Hand back: read-back", "🔁 Resend confirmation", "✅ Mark confirmed", "❌ Mark cancelled", "🔒 Close"]);

    // The owner's text and photo reach the customer under the shop's and the manager's name.
    await winner.sendText("Hello Anna, I am sorry about the box. Could you send a photo?", { chat: m.group, threadId });
    const answer = await customer.waitForMessage((msg) => msg.text?.includes("send a photo") ?? false, wait);
    expect(answer.text).toBe(`${owner}, Demo Shop\nHello Anna, I am sorry about the box. Could you send a photo?`);
    await customer.sendPhoto({ width: 40, height: 30 }, { caption: "the box" });
    const photo = await winner.waitForMessage((msg) => msg.photo !== undefined, { chat: m.group, threadId, ...wait });
    expect(photo.caption).toBe("👤 Anna: the box");
    await winner.sendPhoto({ width: 20, height: 20 }, { chat: m.group, threadId, caption: "This is the replacement" });
    const managerPhoto = await customer.waitForMessage((msg) => msg.photo !== undefined, wait);
    expect(managerPhoto.caption).toBe(`${owner}, Demo Shop\nThis is the replacement`);
    await customer.sendDocument("receipt", { fileName: "receipt.txt" });
    expect((await winner.waitForMessage((msg) => msg.document !== undefined, { chat: m.group, threadId, ...wait })).caption).toBe("👤 Anna");
    await customer.sendLocation(52.52, 13.405);
    expect((await winner.waitForMessage((msg) => msg.location !== undefined, { chat: m.group, threadId, ...wait })).location).toMatchObject({ latitude: 52.52 });

    // Edits are relayed as edits, both ways.
    const question = await customer.sendText("Can you deliver on Fridy?");
    const copy = await winner.waitForMessage((msg) => msg.text?.includes("Fridy") ?? false, { chat: m.group, threadId, ...wait });
    await customer.editText(question.message_id, "Can you deliver on Friday?");
    expect((await winner.waitForEdit(copy.message_id, { chat: m.group, ...wait })).text).toBe("👤 Anna (edited): Can you deliver on Friday?");
    const promise = await winner.sendText("Yes, on Friday mornign.", { chat: m.group, threadId });
    const promiseCopy = await customer.waitForMessage((msg) => msg.text?.includes("Friday morn") ?? false, wait);
    await winner.editText(promise.message_id, "Yes, on Friday morning.", { chat: m.group });
    expect((await customer.waitForEdit(promiseCopy.message_id, wait)).text).toBe(`${owner}, Demo Shop\nYes, on Friday morning.`);

    // The other manager's message and internal notes never reach the customer.
    const other = winner === m.maria ? m.max : m.maria;
    await other.sendText("I can take over later", { chat: m.group, threadId });
    await other.waitForMessage((msg) => msg.text === `Not sent to the customer: ${owner} has this chat.`, { chat: m.group, threadId, ...wait });
    await winner.sendText("// customer is upset, offer 10% off next time", { chat: m.group, threadId });
    await winner.sendText("/note she prefers calls after 17:00", { chat: m.group, threadId });
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain(`• ${owner}: she prefers calls after 17:00`);
    expect(current(harness, m.group, card.message_id)?.text).toContain(`• ${owner}: customer is upset, offer 10% off next time`);
    const history = (await harness.api("GET", `/orders/${order.id}`)).body.history;
    expect(history.filter((h: { type: string }) => h.type === "manager.note").map((h: { data: { text: string } }) => h.data.text)).toEqual([
      "customer is upset, offer 10% off next time",
      "she prefers calls after 17:00",
    ]);
    expect(customer.messages.some((msg) => msg.text?.includes("upset") || msg.text?.includes("prefers calls"))).toBe(false);
    expect(customer.messages.some((msg) => msg.text?.includes("take over later"))).toBe(false);

    // Hand back: one friendly line, the dialog where it stopped (the edit menu), then the rating.
    await winner.tapButton("↩️ Hand back", { chat: m.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage((msg) => msg.text === "Thank you for your patience! I am back with you: let us carry on where we stopped.", wait);
    const resumed = await customer.waitForMessage((msg) => msg.text?.includes("What would you like to change?") ?? false, wait);
    expect(resumed.message_id).toBeGreaterThan(readBack.message_id);
    expect(buttonsOf(resumed)).toContain("Change the address");
    const rating = await customer.waitForMessage((msg) => msg.text?.startsWith(`How well did ${owner} help you?`) ?? false, wait);
    expect(buttonsOf(rating)).toEqual(["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐"]);
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain("↩️ Handed back to the bot");
    expect(buttonsOf(current(harness, m.group, card.message_id))).toEqual([]);
    expect((await harness.api("GET", `/orders/${order.id}`)).body.dialog).toMatchObject({ owner: "bot", step: "edit_menu" });

    // The bot has the chat again: the resumed dialog's buttons work.
    await customer.tapButton("« Back", { messageId: resumed.message_id });
    expect(customer.messages.find((msg) => msg.message_id === resumed.message_id)?.text).toContain("Is everything correct?");

    await customer.tapButton("5 ⭐", { messageId: rating.message_id });
    expect(customer.messages.find((msg) => msg.message_id === rating.message_id)?.text).toBe("Thank you for your rating!");
    const rated = (await harness.api("GET", `/orders/${order.id}`)).body.history.find((h: { type: string }) => h.type === "customer.rated_help");
    expect(rated.data).toMatchObject({ score: 5, manager: owner });
  });

  it("hands back at the read-back when the manager picks it, and a low rating goes back to a person", async () => {
    const { order, customer, card, threadId } = await escalatedFromButton();
    await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    await expect.poll(() => buttonsOf(current(harness, m.group, card.message_id)), poll).toContain("↩️ Hand back: read-back");
    await m.maria.tapButton("↩️ Hand back: read-back", { chat: m.group, messageId: card.message_id, ...wait });
    const resumed = await customer.waitForMessage((msg) => msg.text?.includes("Is everything correct?") ?? false, wait);
    expect(buttonsOf(resumed)).toContain("✅ Confirm");
    const rating = await customer.waitForMessage((msg) => msg.text?.startsWith("How well did") ?? false, wait);
    await customer.tapButton("1 ⭐", { messageId: rating.message_id });
    const again = await m.maria.waitForMessage(isCard(order.externalId), { chat: m.group, threadId, ...wait });
    expect(again.text).toContain("❓ Why: a low rating of the help (1/5)");
    expect(customer.messages.find((msg) => msg.message_id === rating.message_id)?.text).toBe("Thank you, and I am sorry it was not better. A colleague will look at it again.");
  });

  it("offers a person on /help", async () => {
    const { order, customer } = await openOrderDialog(harness);
    await customer.sendText("/help");
    const help = await customer.waitForMessage((msg) => msg.text?.includes("Would you rather talk to a person?") ?? false, wait);
    await customer.tapButton("🙋 Talk to a person", { messageId: help.message_id });
    expect(customer.messages.find((msg) => msg.message_id === help.message_id)?.text).toBe("Thank you! A person from Demo Shop will answer you here.");
    const card = await m.maria.waitForMessage(isCard(order.externalId), { chat: m.group, ...wait });
    expect(card.text).toContain("❓ Why: the customer asked for a person");
  });

  it("goes to a person after two texts the dialog cannot use in a row, and at once on an owner's keyword", async () => {
    const first = await openOrderDialog(harness);
    await first.customer.sendText("hello?");
    await first.customer.waitForMessage((msg) => msg.text?.startsWith("Sorry, I did not understand") ?? false, wait);
    await first.customer.sendText("is anyone there");
    const card = await m.maria.waitForMessage(isCard(first.order.externalId), { chat: m.group, ...wait });
    expect(card.text).toContain("❓ Why: the bot did not understand the customer twice");
    expect(card.text).toContain("• is anyone there");
    expect((await first.customer.waitForMessage((msg) => msg.text?.includes("within 15 minutes") ?? false, wait)).text).toBe(
      "I have asked a colleague from Demo Shop to help you. A person from Demo Shop will answer you here within 15 minutes.",
    );

    const second = await openOrderDialog(harness);
    await second.customer.sendText("I want to file a Complaint about the last delivery");
    const keywordCard = await m.maria.waitForMessage(isCard(second.order.externalId), { chat: m.group, ...wait });
    expect(keywordCard.text).toContain("❓ Why: the customer wrote “complaint”");
  });

  it("opens the topic when ordergram escalates on its own (no answer to the reminders) and when the customer becomes unreachable", async () => {
    const { order, customer } = await openOrderDialog(harness);
    const result = await escalateOrder(harness.app.services, { orderId: order.id, reason: "no_answer_to_nudges" });
    expect(result.type).toBe("escalated");
    expect((await m.maria.waitForMessage(isCard(order.externalId), { chat: m.group, ...wait })).text).toContain("❓ Why: no answer to the reminders");
    await customer.waitForMessage((msg) => msg.text?.startsWith("I have asked a colleague") ?? false, wait);
    await harness.webhooks.waitFor("order.escalated", { orderId: order.id });
    // The customer's own taps on the order keep working while the chat waits for a person.
    const confirmData = () => (customer.messages.find((msg) => msg.text?.includes("Is everything correct?"))?.reply_markup?.inline_keyboard.flat()[0] as { callback_data?: string } | undefined)?.callback_data;
    await expect.poll(confirmData, poll).toMatch(/:[1-9]\d*:c$/);
    await customer.tapButton("✅ Confirm");
    await harness.webhooks.waitFor("order.confirmed", { orderId: order.id });

    const blocked = await openOrderDialog(harness);
    blocked.customer.block();
    const changed = { ...(await harness.api("GET", `/orders/${blocked.order.id}`)).body };
    const update = await harness.api("POST", "/orders", {
      externalId: changed.externalId,
      customer: { name: "Anna", phone: changed.customer.phone },
      currency: "EUR",
      items: [{ sku: "TEA-1", name: "Green tea", quantity: 3, unitPrice: "4.50" }],
    });
    expect(update.status).toBe(200);
    const unreachable = await m.maria.waitForMessage(isCard(blocked.order.externalId), { chat: m.group, ...wait });
    expect(unreachable.text).toContain("❓ Why: the customer cannot be reached in Telegram");
  });

  it("recreates a topic a person deleted, with the card, and carries on relaying", async () => {
    const { order, customer, threadId } = await escalatedFromButton();
    harness.standin.deleteTopic(m.group.id, threadId);
    await customer.sendText("Hello, are you there?");
    const recreatedCard = await m.maria.waitForMessage((msg) => isCard(order.externalId)(msg) && msg.message_thread_id !== threadId, { chat: m.group, ...wait });
    const newThread = recreatedCard.message_thread_id!;
    expect(harness.standin.topics(m.group.id).filter((topic) => topic.name === `Anna · ${order.externalId}`).map((t) => t.deleted)).toEqual([true, false]);
    const relayed = await m.maria.waitForMessage((msg) => msg.text?.includes("are you there") ?? false, { chat: m.group, threadId: newThread, ...wait });
    expect(relayed.text).toBe("👤 Anna: Hello, are you there?");
    // Take from the new card and answer: the relay goes on in the new topic.
    await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: recreatedCard.message_id, ...wait });
    await m.maria.sendText("Yes, here I am.", { chat: m.group, threadId: newThread });
    await customer.waitForMessage((msg) => msg.text === "Maria, Demo Shop\nYes, here I am.", wait);
  });

  it("refuses the card's buttons to someone who is not a manager", async () => {
    const { card } = await escalatedFromButton();
    const tap = await m.outsider.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    expect(tap).toMatchObject({ text: "Only the shop's managers can do this.", showAlert: true });
    const stored = await harness.app.services.db.handoff.findFirst({ where: { cardMessageId: card.message_id } });
    expect(stored).toMatchObject({ state: "waiting", managerId: null });
    await m.outsider.sendText("/take");
    expect((await m.outsider.waitForMessage(() => true, wait)).text).toBe("Sorry, that command is for the shop's managers.");
  });

  it("puts an order on hold with a note that shows on the card and in the API, and lets a manager confirm it from the card", async () => {
    const { order, customer, card, threadId } = await escalatedFromButton();
    await m.max.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    await expect.poll(() => buttonsOf(current(harness, m.group, card.message_id)), poll).toContain("✅ Mark confirmed");
    await m.max.sendText("/hold waiting for the supplier", { chat: m.group, threadId });
    await expect.poll(async () => (await harness.api("GET", `/orders/${order.id}`)).body.hold, poll).toMatchObject({ reason: "waiting for the supplier", by: "Max" });
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain(
      "⏸ On hold: waiting for the supplier (Max)",
    );
    await m.max.sendText("/unhold", { chat: m.group, threadId });
    await expect.poll(async () => (await harness.api("GET", `/orders/${order.id}`)).body.hold, poll).toBeNull();

    const confirmed = await m.max.tapButton("✅ Mark confirmed", { chat: m.group, messageId: card.message_id, ...wait });
    expect(confirmed.text).toBe("Done.");
    const webhook = await harness.webhooks.waitFor("order.confirmed", { orderId: order.id });
    expect(webhook.body.data.order).toMatchObject({ state: "confirmed", dialog: { owner: "manager:" + m.max.id } });
    const history = (await harness.api("GET", `/orders/${order.id}`)).body.history;
    expect(history.find((h: { type: string }) => h.type === "manager.confirmed")).toMatchObject({ actor: `manager:${m.max.id}` });
    await expect.poll(() => customer.messages.some((msg) => msg.text?.includes("Confirmed.")), poll).toBe(true);
  });

  it("closes the chat and its topic without writing to the customer", async () => {
    const { order, customer, card, threadId } = await escalatedFromButton();
    const before = customer.messages.length;
    await m.maria.tapButton("🔒 Close", { chat: m.group, messageId: card.message_id, ...wait });
    await expect.poll(() => harness.standin.topics(m.group.id).find((t) => t.message_thread_id === threadId)?.closed, poll).toBe(true);
    expect((await harness.api("GET", `/orders/${order.id}`)).body.dialog.owner).toBe("bot");
    expect(customer.messages.slice(before).filter((msg) => msg.from?.is_bot)).toEqual([]);
  });

  it("keeps a manager's chat across a restart", async () => {
    const { order, customer, card, threadId } = await escalatedFromButton();
    await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage((msg) => msg.text?.startsWith("Maria from Demo Shop") ?? false, wait);
    await harness.restart();
    await customer.sendText("Are you still with me after the update?");
    await m.maria.waitForMessage((msg) => msg.text === "👤 Anna: Are you still with me after the update?", { chat: m.group, threadId, ...wait });
    await m.maria.sendText("Yes, still here.", { chat: m.group, threadId });
    await customer.waitForMessage((msg) => msg.text === "Maria, Demo Shop\nYes, still here.", wait);
    expect((await harness.api("GET", `/orders/${order.id}`)).body.dialog.owner).toBe(`manager:${m.maria.id}`);
  });
});

describe("nobody takes the chat", () => {
  const clock = new ManualClock("2026-11-23T10:00:00Z");
  let harness: Harness;
  const setup = withManagersGroup({ reping: { afterMinutes: 10, times: 1 } });
  const m = setup.managers;
  beforeAll(async () => {
    harness = await startHarness({ clock, prepare: setup.prepare });
  });
  afterAll(() => harness.close());

  it("pings the group again with the mentions, then tells the customer honestly and the shop by webhook", async () => {
    const { order, customer } = await openOrderDialog(harness);
    await customer.tapButton("🙋 Talk to a person");
    const card = await m.maria.waitForMessage(isCard(order.externalId), { chat: m.group, ...wait });
    const threadId = card.message_thread_id!;

    clock.advance(10 * 60_000);
    harness.app.scheduler.kick();
    const ping = await m.maria.waitForMessage((msg) => msg.text?.startsWith("⏰") ?? false, { chat: m.group, threadId, ...wait });
    expect(ping.text).toBe("⏰ Nobody has taken this chat for 10 minutes. @maria_demo_shop");

    clock.advance(10 * 60_000);
    harness.app.scheduler.kick();
    await customer.waitForMessage((msg) => msg.text?.startsWith("I am sorry: everyone at Demo Shop is busy") ?? false, wait);
    const webhook = await harness.webhooks.waitFor("handoff.unanswered", { orderId: order.id });
    expect(webhook.body.data).toMatchObject({ reason: "customer_request", pings: 1, order: { id: order.id, dialog: { owner: "waiting_manager" } } });
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain(
      "⚠️ Nobody took it in time",
    );

    // A manager can still take it, and the timers are done with.
    await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage((msg) => msg.text?.startsWith("Maria from Demo Shop") ?? false, wait);
  });
});

describe("a busy managers' group at Telegram's group limit", () => {
  let harness: Harness;
  const setup = withManagersGroup({ perGroupPerMinute: 20 });
  const m = setup.managers;
  beforeAll(async () => {
    harness = await startHarness({ prepare: setup.prepare });
  });
  afterAll(() => harness.close());

  it("queues every relay for the group and never holds up another customer's messages", async () => {
    const waiting = await openOrderDialog(harness);
    await waiting.customer.tapButton("🙋 Talk to a person");
    const texts = ["one", "two", "three", "four", "five", "six"].map((n) => `message ${n}`);
    for (const text of texts) await waiting.customer.sendText(text);

    // Another customer's new order goes out through the same outbox while the group's queue drains.
    const other = await openOrderDialog(harness);
    const payload = { ...(await harness.api("GET", `/orders/${other.order.id}`)).body };
    const second = await harness.api("POST", "/orders", {
      externalId: `${payload.externalId}-2`,
      customer: { name: "Anna", telegramUserId: other.customer.id },
      currency: "EUR",
      items: [{ sku: "TEA-1", name: "Green tea", quantity: 1, unitPrice: "4.50" }],
    });
    expect(second.status).toBe(201);
    await other.customer.waitForMessage((msg) => msg.text?.includes(`Order ${second.body.externalId}`) ?? false, { timeoutMs: 5000 });
    const groupQueue = await harness.app.services.db.outboxMessage.count({ where: { chatId: BigInt(m.group.id), status: { in: ["pending", "sending"] } } });
    expect(groupQueue).toBeGreaterThan(0);

    // Nothing is dropped: every message reaches the topic, in order.
    const card = await m.maria.waitForMessage(isCard(waiting.order.externalId), { chat: m.group, timeoutMs: 30_000 });
    for (const text of texts) {
      await m.maria.waitForMessage((msg) => msg.text === `👤 Anna: ${text}`, { chat: m.group, threadId: card.message_thread_id!, timeoutMs: 30_000 });
    }
  }, 60_000);
});
