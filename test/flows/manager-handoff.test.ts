import type { Message } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigFile } from "../../src/config/config-schema.js";
import { ManualClock } from "../../src/shared/clock.js";
import type { TelegramTestGroup, TelegramTestUser } from "../../src/telegram-standin/index.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { advance, followUpConfig, setClock, waitForPlan } from "../support/follow-up-kit.js";
import { openOrderDialog, orderPayload, startTokenOf } from "../support/order-payload.js";

/**
 * The managers' side of ordergram over real HTTP: a forum supergroup in the stand-in, managers
 * who tap the card's buttons and write in topics, customers who write to the bot.
 */

const wait = { timeoutMs: 5000 };
const poll = { timeout: 5000 };
const isCard = (externalId: string) => (m: Message) => (m.text?.startsWith("🆘") ?? false) && m.text!.includes(externalId);
const buttonsOf = (m: Message | undefined) => m?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
/** A message of the group as it is now (edits applied). */
const current = (harness: Harness, group: TelegramTestGroup, messageId: number) =>
  harness.standin.messages(group.id).find((msg) => msg.message_id === messageId);

interface Managers {
  group: TelegramTestGroup;
  maria: TelegramTestUser;
  max: TelegramTestUser;
  outsider: TelegramTestUser;
  /** Not in the group, but one of `managers.userIds`. */
  lena: TelegramTestUser;
}

/** The shop's managers' forum: Maria (admin) and Max (member); Lena is listed by id; the outsider is in no group. */
function withManagersGroup(
  options: {
    reping?: { afterMinutes: number; times: number };
    perGroupPerMinute?: number;
    language?: ConfigFile["managers"]["language"];
    workingHours?: ConfigFile["managers"]["workingHours"];
  } = {},
) {
  const managers = {} as Managers;
  return {
    managers,
    prepare: (standin: Harness["standin"], file: ConfigFile) => {
      managers.maria = standin.addUser({ firstName: "Maria", languageCode: "en" });
      managers.max = standin.addUser({ firstName: "Max", languageCode: "en" });
      managers.outsider = standin.addUser({ firstName: "Olaf", languageCode: "en" });
      managers.lena = standin.addUser({ firstName: "Lena", languageCode: "en" });
      managers.group = standin.addForumGroup({ title: "Demo Shop managers", members: [managers.max], admins: [managers.maria] });
      file.managers.groupChatId = BigInt(managers.group.id);
      file.managers.userIds = [managers.lena.id];
      file.managers.mention = ["maria_demo_shop"];
      file.managers.workingHours = options.workingHours ?? null;
      if (options.language) file.managers.language = options.language;
      if (options.reping) file.managers.reping = options.reping;
      // The test about pacing sets Telegram's ~20 a minute per group; the others go at the harness's test limits.
      if (options.perGroupPerMinute !== undefined) file.telegram.rateLimits.perGroupPerMinute = options.perGroupPerMinute;
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

  it(
    "opens a topic with the order card, two managers race for Take, relays both ways, keeps notes internal, hands back to the " +
      "interrupted step and asks for a rating",
    async () => {
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
      expect(harness.standin.topics(m.group.id).find((topic) => topic.message_thread_id === threadId)?.name).toBe(
        `Anna · ${order.externalId}`,
      );
      for (const line of [
        "🆘 Anna",
        `🧾 ${order.externalId} · not confirmed yet · €`,
        "🤖 The bot was at: changing the order",
        "❓ Why: the customer asked for a person",
        "⏳ Waiting for a manager",
      ]) {
        expect(card.text).toContain(line);
      }
      expect(buttonsOf(card)).toEqual(["🙋 Take", "🔒 Close"]);
      expect((await harness.api("GET", `/orders/${order.id}`)).body.dialog.owner).toBe("waiting_manager");

      // While waiting, the customer's messages already go to the topic, and the bot stays silent.
      await customer.sendText("My parcel box is broken, can someone call me?");
      const relayed = await m.maria.waitForMessage((msg) => msg.text?.includes("parcel box") ?? false, {
        chat: m.group,
        threadId,
        ...wait,
      });
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
      expect(buttonsOf(current(harness, m.group, card.message_id))).toEqual([
        "↩️ Hand back",
        "↩️ Hand back: read-back",
        "↩️ Hand back: delivery",
        "↩️ Hand back: address",
        "🔁 Resend confirmation",
        "🚚 Change delivery",
        "✅ Mark confirmed",
        "❌ Mark cancelled",
        "🔒 Close",
      ]);

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
      expect((await winner.waitForMessage((msg) => msg.document !== undefined, { chat: m.group, threadId, ...wait })).caption).toBe(
        "👤 Anna",
      );
      await customer.sendLocation(52.52, 13.405);
      expect(
        (await winner.waitForMessage((msg) => msg.location !== undefined, { chat: m.group, threadId, ...wait })).location,
      ).toMatchObject({ latitude: 52.52 });

      // Edits are relayed as edits, both ways.
      const question = await customer.sendText("Can you deliver on Fridy?");
      const copy = await winner.waitForMessage((msg) => msg.text?.includes("Fridy") ?? false, { chat: m.group, threadId, ...wait });
      await customer.editText(question.message_id, "Can you deliver on Friday?");
      expect((await winner.waitForEdit(copy.message_id, { chat: m.group, ...wait })).text).toBe(
        "👤 Anna (edited): Can you deliver on Friday?",
      );
      const promise = await winner.sendText("Yes, on Friday mornign.", { chat: m.group, threadId });
      const promiseCopy = await customer.waitForMessage((msg) => msg.text?.includes("Friday morn") ?? false, wait);
      await winner.editText(promise.message_id, "Yes, on Friday morning.", { chat: m.group });
      expect((await customer.waitForEdit(promiseCopy.message_id, wait)).text).toBe(`${owner}, Demo Shop\nYes, on Friday morning.`);

      // The other manager's message and internal notes never reach the customer.
      const other = winner === m.maria ? m.max : m.maria;
      await other.sendText("I can take over later", { chat: m.group, threadId });
      await other.waitForMessage((msg) => msg.text === `Not sent to the customer: ${owner} has this chat.`, {
        chat: m.group,
        threadId,
        ...wait,
      });
      await winner.sendText("// customer is upset, offer 10% off next time", { chat: m.group, threadId });
      await winner.sendText("/note she prefers calls after 17:00", { chat: m.group, threadId });
      await expect
        .poll(() => current(harness, m.group, card.message_id)?.text, poll)
        .toContain(`• ${owner}: she prefers calls after 17:00`);
      expect(current(harness, m.group, card.message_id)?.text).toContain(`• ${owner}: customer is upset, offer 10% off next time`);
      const history = (await harness.api("GET", `/orders/${order.id}`)).body.history;
      expect(
        history.filter((h: { type: string }) => h.type === "manager.note").map((h: { data: { text: string } }) => h.data.text),
      ).toEqual(["customer is upset, offer 10% off next time", "she prefers calls after 17:00"]);
      expect(customer.messages.some((msg) => msg.text?.includes("upset") || msg.text?.includes("prefers calls"))).toBe(false);
      expect(customer.messages.some((msg) => msg.text?.includes("take over later"))).toBe(false);

      // Hand back: one friendly line, the dialog where it stopped (the edit menu), then the rating.
      await winner.tapButton("↩️ Hand back", { chat: m.group, messageId: card.message_id, ...wait });
      await customer.waitForMessage(
        (msg) =>
          msg.text ===
          `${owner} has finished helping you, and I am here again. Thank you for your patience! Let us carry on where we stopped.`,
        wait,
      );
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
      const rated = (await harness.api("GET", `/orders/${order.id}`)).body.history.find(
        (h: { type: string }) => h.type === "customer.rated_help",
      );
      expect(rated.data).toMatchObject({ score: 5, manager: owner });
    },
  );

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
    expect(again.text).toContain("❓ Why: a low rating (1/5)");
    expect(customer.messages.find((msg) => msg.message_id === rating.message_id)?.text).toBe(
      "Thank you, and I am sorry it was not better. A colleague will look at it again.",
    );
  });

  it("offers a person on /help", async () => {
    const { order, customer } = await openOrderDialog(harness);
    await customer.sendText("/help");
    const help = await customer.waitForMessage((msg) => msg.text?.includes("Would you rather talk to a person?") ?? false, wait);
    await customer.tapButton("🙋 Talk to a person", { messageId: help.message_id });
    expect(customer.messages.find((msg) => msg.message_id === help.message_id)?.text).toBe(
      "Thank you! A person from Demo Shop will answer you here.",
    );
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

  it("opens the topic when the customer becomes unreachable", async () => {
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
    // The topic is opened marked, and the card says why nothing reaches her.
    expect(unreachable.text).toContain("⛔ The customer has blocked the bot");
    expect(harness.standin.topics(m.group.id).find((topic) => topic.message_thread_id === unreachable.message_thread_id)?.name).toBe(
      `⛔ Anna · ${blocked.order.externalId}`,
    );

    // She comes back and writes; a manager closes the chat nobody took: she never heard of it, so she is not told it closed.
    blocked.customer.unblock();
    await blocked.customer.sendText("hello?");
    const threadId = unreachable.message_thread_id!;
    await m.maria.waitForMessage((msg) => msg.text === "👤 Anna: hello?", { chat: m.group, threadId, ...wait });
    const before = blocked.customer.messages.length;
    await m.maria.tapButton("🔒 Close", { chat: m.group, messageId: unreachable.message_id, ...wait });
    await expect.poll(() => current(harness, m.group, unreachable.message_id)?.text, poll).toContain("🔒 Closed");
    await harness.app.drain();
    expect(blocked.customer.messages.slice(before).filter((msg) => msg.from?.is_bot)).toEqual([]);
  });

  it("marks a customer who blocked the bot in the topic's title and on the card, tells the shop, undoes it when they write", async () => {
    const { order, customer, card, threadId } = await escalatedFromButton();
    const topicName = () => harness.standin.topics(m.group.id).find((topic) => topic.message_thread_id === threadId)?.name;
    await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage((msg) => msg.text?.startsWith("Maria from Demo Shop") ?? false, wait);

    // The manager's answer is refused with 403: the topic and the card say the customer blocked the bot.
    customer.block();
    await m.maria.sendText("Anna, are you still there?", { chat: m.group, threadId });
    await expect.poll(topicName, poll).toBe(`⛔ Anna · ${order.externalId}`);
    await expect
      .poll(() => current(harness, m.group, card.message_id)?.text, poll)
      .toContain("⛔ The customer has blocked the bot (or left Telegram): nothing reaches them until they write again.");
    await m.maria.waitForMessage(
      (msg) =>
        msg.text ===
        "⛔ Telegram says the customer has blocked the bot: nothing sent to them arrives, yours included, until they write again.",
      { chat: m.group, threadId, ...wait },
    );
    const unreachable = await harness.webhooks.waitFor("customer.unreachable", { orderId: order.id });
    expect(unreachable.body.data).toMatchObject({
      order: { id: order.id },
      reason: expect.stringContaining("bot was blocked by the user"),
    });

    // She unblocks the bot and writes: the mark comes off, the shop hears it, her message reaches the topic.
    customer.unblock();
    await customer.sendText("Sorry, I blocked you by mistake");
    await m.maria.waitForMessage((msg) => msg.text === "✅ The customer wrote again: messages reach them once more.", {
      chat: m.group,
      threadId,
      ...wait,
    });
    await m.maria.waitForMessage((msg) => msg.text === "👤 Anna: Sorry, I blocked you by mistake", { chat: m.group, threadId, ...wait });
    await expect.poll(topicName, poll).toBe(`Anna · ${order.externalId}`);
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).not.toContain("⛔");
    const reachable = await harness.webhooks.waitFor("customer.reachable", { orderId: order.id });
    expect(reachable.body.data).toMatchObject({
      order: { id: order.id, externalId: order.externalId },
      unreachableSince: expect.any(String),
    });
    expect(
      (await harness.app.services.db.customer.findFirstOrThrow({ where: { telegramUserId: BigInt(customer.id) } })).unreachableAt,
    ).toBeNull();
    await m.maria.sendText("No problem, Anna.", { chat: m.group, threadId });
    await customer.waitForMessage((msg) => msg.text === "Maria, Demo Shop\nNo problem, Anna.", wait);
  });

  it("recreates a topic a person deleted, with the card, and carries on relaying", async () => {
    const { order, customer, threadId } = await escalatedFromButton();
    harness.standin.deleteTopic(m.group.id, threadId);
    await customer.sendText("Hello, are you there?");
    const recreatedCard = await m.maria.waitForMessage((msg) => isCard(order.externalId)(msg) && msg.message_thread_id !== threadId, {
      chat: m.group,
      ...wait,
    });
    const newThread = recreatedCard.message_thread_id!;
    expect(
      harness.standin
        .topics(m.group.id)
        .filter((topic) => topic.name === `Anna · ${order.externalId}`)
        .map((t) => t.deleted),
    ).toEqual([true, false]);
    const relayed = await m.maria.waitForMessage((msg) => msg.text?.includes("are you there") ?? false, {
      chat: m.group,
      threadId: newThread,
      ...wait,
    });
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
    // Without a reason nothing is put on hold: the topic says how to write it.
    await m.max.sendText("/hold", { chat: m.group, threadId });
    await m.max.waitForMessage((msg) => msg.text === "Write the reason: /hold waiting for the supplier", {
      chat: m.group,
      threadId,
      ...wait,
    });
    const unheld = (await harness.api("GET", `/orders/${order.id}`)).body;
    expect(unheld.hold).toBeNull();
    expect(unheld.history.some((h: { type: string }) => h.type === "order.held")).toBe(false);
    expect(current(harness, m.group, card.message_id)?.text).not.toContain("On hold");

    await m.max.sendText("/hold waiting for the supplier", { chat: m.group, threadId });
    await expect
      .poll(async () => (await harness.api("GET", `/orders/${order.id}`)).body.hold, poll)
      .toMatchObject({ reason: "waiting for the supplier", by: "Max" });
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain("⏸ On hold: waiting for the supplier (Max)");
    await m.max.sendText("/unhold", { chat: m.group, threadId });
    await expect.poll(async () => (await harness.api("GET", `/orders/${order.id}`)).body.hold, poll).toBeNull();
    await m.max.sendText("/unhold", { chat: m.group, threadId });
    await m.max.waitForMessage((msg) => msg.text === "The order is not on hold.", { chat: m.group, threadId, ...wait });

    const confirmed = await m.max.tapButton("✅ Mark confirmed", { chat: m.group, messageId: card.message_id, ...wait });
    expect(confirmed.text).toBe("Done.");
    const webhook = await harness.webhooks.waitFor("order.confirmed", { orderId: order.id });
    expect(webhook.body.data.order).toMatchObject({ state: "confirmed", dialog: { owner: "manager:" + m.max.id } });
    const history = (await harness.api("GET", `/orders/${order.id}`)).body.history;
    expect(history.find((h: { type: string }) => h.type === "manager.confirmed")).toMatchObject({ actor: `manager:${m.max.id}` });
    await expect.poll(() => customer.messages.some((msg) => msg.text?.includes("Confirmed.")), poll).toBe(true);
  });

  it("lets a manager resend the confirmation and mark the order cancelled from the card, with the shop's webhook", async () => {
    const { order, customer, card, readBack } = await escalatedFromButton();
    await m.max.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    await expect.poll(() => buttonsOf(current(harness, m.group, card.message_id)), poll).toContain("🔁 Resend confirmation");

    expect((await m.max.tapButton("🔁 Resend confirmation", { chat: m.group, messageId: card.message_id, ...wait })).text).toBe("Done.");
    const resent = await customer.waitForMessage(
      (msg) => (msg.text?.includes(`Order ${order.externalId}`) ?? false) && msg.message_id > readBack.message_id,
      wait,
    );
    expect(resent.text).toContain("Is everything correct?");
    expect(buttonsOf(resent)).toContain("✅ Confirm");
    // Only the newest message carries the order's buttons.
    await expect.poll(() => buttonsOf(customer.messages.find((msg) => msg.message_id === readBack.message_id)), poll).toEqual([]);
    const history = (await harness.api("GET", `/orders/${order.id}`)).body.history;
    expect(history.find((h: { type: string }) => h.type === "manager.resent_confirmation")).toMatchObject({
      actor: `manager:${m.max.id}`,
      data: { manager: "Max" },
    });

    expect((await m.max.tapButton("❌ Mark cancelled", { chat: m.group, messageId: card.message_id, ...wait })).text).toBe("Done.");
    const webhook = await harness.webhooks.waitFor("order.cancelled", { orderId: order.id });
    const told = await customer.waitForMessage((msg) => msg.text?.includes("has been cancelled") ?? false, wait);
    expect(told.text).toBe(
      `Your order ${order.externalId} has been cancelled by Demo Shop. If that is not what you expected, just write to us here.`,
    );
    expect(webhook.body.data).toMatchObject({
      reason: "cancelled_by_manager",
      order: { state: "cancelled", dialog: { owner: `manager:${m.max.id}` } },
    });
    expect(
      (await harness.api("GET", `/orders/${order.id}`)).body.history.find((h: { type: string }) => h.type === "manager.cancelled"),
    ).toMatchObject({ actor: `manager:${m.max.id}` });
    // The customer's order message shows it in place; the card offers no more order actions.
    await expect.poll(() => customer.messages.find((msg) => msg.message_id === resent.message_id)?.text, poll).toContain("Cancelled.");
    await expect.poll(() => buttonsOf(current(harness, m.group, card.message_id)), poll).toEqual(["↩️ Hand back", "🔒 Close"]);
    expect(current(harness, m.group, card.message_id)?.text).toContain(`🧾 ${order.externalId} · cancelled`);
  });

  it("tells a Russian-speaking customer of a manager's cancellation in Russian, in a new message", async () => {
    const opened = await openOrderDialog(harness, { customer: { name: "Анна", phone: "+49 170 5550001", language: "ru" } });
    await opened.customer.tapButton("🙋 Связаться с человеком");
    const card = await m.maria.waitForMessage(isCard(opened.order.externalId), { chat: m.group, ...wait });
    await m.max.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    await expect.poll(() => buttonsOf(current(harness, m.group, card.message_id)), poll).toContain("❌ Mark cancelled");
    expect((await m.max.tapButton("❌ Mark cancelled", { chat: m.group, messageId: card.message_id, ...wait })).text).toBe("Done.");
    const told = await opened.customer.waitForMessage((msg) => msg.text?.includes("отменил") ?? false, wait);
    expect(told.text).toBe(
      `Магазин Demo Shop отменил ваш заказ ${opened.order.externalId}. Если вы этого не ожидали, просто напишите нам здесь.`,
    );
    expect((await harness.webhooks.waitFor("order.cancelled", { orderId: opened.order.id })).body.data.reason).toBe("cancelled_by_manager");
  });

  it(
    "lets a manager change the delivery day and window from the card, with the customer's options and rules, and tells the customer in " +
      "one line",
    async () => {
      const { order, customer, card, readBack, threadId } = await escalatedFromButton();
      await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
      await expect.poll(() => buttonsOf(current(harness, m.group, card.message_id)), poll).toContain("🚚 Change delivery");
      const booked = async () =>
        (await harness.app.services.db.deliverySlot.findUnique({ where: { date_window: { date: "2026-12-03", window: "14:00-18:00" } } }))
          ?.booked ?? 0;
      const bookedBefore = await booked();

      await m.maria.tapButton("🚚 Change delivery", { chat: m.group, messageId: card.message_id, ...wait });
      const picker = await m.maria.waitForMessage((msg) => msg.text?.startsWith("🚚") ?? false, { chat: m.group, threadId, ...wait });
      expect(picker.text).toBe(`🚚 Delivery of ${order.externalId}, now: Wednesday, December 2, 10:00-14:00. Choose a day:`);
      // Tuesday 1 December, 10:00 in Berlin: today (before the 11:00 cut-off) and the next working days; Sunday is a day off.
      expect(buttonsOf(picker)).toEqual(["Tue, Dec 1", "Wed, Dec 2", "Thu, Dec 3", "Fri, Dec 4", "Sat, Dec 5"]);

      await m.maria.tapButton("Thu, Dec 3", { chat: m.group, messageId: picker.message_id, ...wait });
      await expect
        .poll(() => current(harness, m.group, picker.message_id)?.text, poll)
        .toBe(`🚚 Delivery of ${order.externalId} on Thursday, December 3. Choose a time window:`);
      expect(buttonsOf(current(harness, m.group, picker.message_id))).toEqual([
        "10:00-14:00",
        "14:00-18:00",
        "18:00-21:00",
        "« Another day",
      ]);
      // "Another day" goes back to the days, in the same message; then the day again.
      await m.maria.tapButton("« Another day", { chat: m.group, messageId: picker.message_id, ...wait });
      await expect.poll(() => buttonsOf(current(harness, m.group, picker.message_id)), poll).toContain("Thu, Dec 3");
      await m.maria.tapButton("Thu, Dec 3", { chat: m.group, messageId: picker.message_id, ...wait });
      await expect.poll(() => buttonsOf(current(harness, m.group, picker.message_id)), poll).toContain("14:00-18:00");

      expect((await m.maria.tapButton("14:00-18:00", { chat: m.group, messageId: picker.message_id, ...wait })).text).toBe("Done.");
      const told = await customer.waitForMessage((msg) => msg.text?.includes("has changed the delivery") ?? false, wait);
      expect(told.text).toBe(
        `Maria from Demo Shop has changed the delivery of your order ${order.externalId}: Thursday, December 3, 14:00-18:00.`,
      );
      await expect
        .poll(() => current(harness, m.group, picker.message_id)?.text, poll)
        .toBe(`🚚 Delivery of ${order.externalId}: Thursday, December 3, 14:00-18:00. The customer has been told.`);
      expect(buttonsOf(current(harness, m.group, picker.message_id))).toEqual([]);

      // The shop hears it as from the customer's own change, the history names the manager, the place is taken.
      const webhook = await harness.webhooks.waitFor("order.changed", { orderId: order.id });
      expect(webhook.body.data.order).toMatchObject({
        delivery: { method: "courier", date: "2026-12-03", window: "14:00-18:00" },
        dialog: { owner: `manager:${m.maria.id}` },
      });
      const stored = (await harness.api("GET", `/orders/${order.id}`)).body;
      expect(stored.delivery).toMatchObject({ date: "2026-12-03", window: "14:00-18:00" });
      expect(stored.history.find((h: { type: string }) => h.type === "manager.delivery_changed")).toMatchObject({
        actor: `manager:${m.maria.id}`,
        data: { manager: "Maria" },
      });
      expect(await booked()).toBe(bookedBefore + 1);
      // The customer's order message reads the new slot back in place.
      await expect
        .poll(() => customer.messages.find((msg) => msg.message_id === readBack.message_id)?.text, poll)
        .toContain("Date: Thursday, December 3, 14:00-18:00");

      // Picking the same window again changes nothing.
      await m.maria.tapButton("🚚 Change delivery", { chat: m.group, messageId: card.message_id, ...wait });
      const again = await m.maria.waitForMessage((msg) => msg.text?.startsWith("🚚") ?? false, { chat: m.group, threadId, ...wait });
      expect(again.text).toContain("now: Thursday, December 3, 14:00-18:00");
      await m.maria.tapButton("Thu, Dec 3", { chat: m.group, messageId: again.message_id, ...wait });
      await expect.poll(() => buttonsOf(current(harness, m.group, again.message_id)), poll).toContain("14:00-18:00");
      expect((await m.maria.tapButton("14:00-18:00", { chat: m.group, messageId: again.message_id, ...wait })).text).toBe(
        "That is the order's delivery already.",
      );
      expect(await booked()).toBe(bookedBefore + 1);
    },
  );

  it(
    "hands back at the delivery choice or the address when the manager picks it, and offers neither for a delivery the shop " + "fixed",
    async () => {
      const delivery = await escalatedFromButton();
      await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: delivery.card.message_id, ...wait });
      await expect.poll(() => buttonsOf(current(harness, m.group, delivery.card.message_id)), poll).toContain("↩️ Hand back: delivery");
      await m.maria.tapButton("↩️ Hand back: delivery", { chat: m.group, messageId: delivery.card.message_id, ...wait });
      await delivery.customer.waitForMessage(
        (msg) =>
          msg.text ===
          "Maria has finished helping you, and I am here again. Thank you for your patience! Let us carry on where we stopped.",
        wait,
      );
      const methods = await delivery.customer.waitForMessage(
        (msg) => msg.text?.includes("How would you like to receive your order?") ?? false,
        wait,
      );
      expect(buttonsOf(methods).some((text) => text.startsWith("🚚"))).toBe(true);
      await delivery.customer.waitForMessage((msg) => msg.text?.startsWith("How well did Maria help you?") ?? false, wait);
      expect((await harness.api("GET", `/orders/${delivery.order.id}`)).body.dialog).toMatchObject({
        owner: "bot",
        step: "choose_delivery_method",
      });

      const address = await escalatedFromButton();
      await m.max.tapButton("🙋 Take", { chat: m.group, messageId: address.card.message_id, ...wait });
      await expect.poll(() => buttonsOf(current(harness, m.group, address.card.message_id)), poll).toContain("↩️ Hand back: address");
      await m.max.tapButton("↩️ Hand back: address", { chat: m.group, messageId: address.card.message_id, ...wait });
      const asked = await address.customer.waitForMessage(
        (msg) => msg.text?.includes("We will deliver to: Hauptstr. 1, 10115 Berlin. Is that right?") ?? false,
        wait,
      );
      expect(asked.message_id).toBeGreaterThan(address.readBack.message_id);
      expect((await harness.api("GET", `/orders/${address.order.id}`)).body.dialog).toMatchObject({
        owner: "bot",
        step: "confirm_address",
      });

      // The shop fixed this order's delivery: nothing to hand back to or change there.
      const fixed = await openOrderDialog(harness, {
        delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: "2026-12-02", window: "10:00-14:00", fixed: true },
      });
      await fixed.customer.tapButton("🙋 Talk to a person");
      const fixedCard = await m.maria.waitForMessage(isCard(fixed.order.externalId), { chat: m.group, ...wait });
      await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: fixedCard.message_id, ...wait });
      await expect
        .poll(() => buttonsOf(current(harness, m.group, fixedCard.message_id)), poll)
        .toEqual([
          "↩️ Hand back",
          "↩️ Hand back: read-back",
          "🔁 Resend confirmation",
          "✅ Mark confirmed",
          "❌ Mark cancelled",
          "🔒 Close",
        ]);
    },
  );

  it(
    "tells a manager to take the chat first, answers someone who is not a manager in the topic once, and counts the listed user ids as " +
      "managers",
    async () => {
      const { customer, card, threadId } = await escalatedFromButton();
      const inTopic = { chat: m.group, threadId, ...wait };

      // A manager writes before anybody took the chat: not sent, and the topic says why.
      await m.max.sendText("Hello Anna, one moment please", { chat: m.group, threadId });
      await m.max.waitForMessage((msg) => msg.text === "Not sent to the customer: tap “Take” on the card first.", inTopic);

      // Someone the group does not list as a member (Olaf wrote, then left the group before the bot
      // checked): nothing reaches the customer, and the topic says so once, not for every message.
      const members = harness.standin.world.groupChat(m.group.id)!.members;
      members.set(m.outsider.id, "member");
      await m.outsider.sendText("Hi Anna, I can give you a discount", { chat: m.group, threadId });
      await m.outsider.sendText("// a note from me", { chat: m.group, threadId });
      members.delete(m.outsider.id);
      const notManager = "Only the shop's managers can write to customers here: this message did not reach the customer.";
      await m.maria.waitForMessage((msg) => msg.text === notManager, inTopic);
      // A later message of a manager in the same group is handled after Olaf's: by then any second refusal would show.
      await m.max.sendText("Still here", { chat: m.group, threadId });
      await m.max.waitForMessage((msg) => msg.text === "Not sent to the customer: tap “Take” on the card first.", inTopic);
      expect(harness.standin.messages(m.group.id, { threadId }).filter((msg) => msg.text === notManager)).toHaveLength(1);
      expect(customer.messages.some((msg) => msg.text?.includes("discount") || msg.text?.includes("one moment"))).toBe(false);
      expect(current(harness, m.group, card.message_id)?.text).not.toContain("a note from me");

      // Lena is not in the managers' group, but her user id is in managers.userIds: she may take the chat.
      expect((await m.lena.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait })).text).toMatch(
        /^The chat is yours/,
      );
      await customer.waitForMessage((msg) => msg.text === "Lena from Demo Shop is with you now and will help you here.", wait);
      await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain("👤 Lena has the chat");
      expect((await harness.app.services.db.handoff.findFirst({ where: { cardMessageId: card.message_id } }))?.managerId).toBe(
        BigInt(m.lena.id),
      );
      await m.lena.tapButton("↩️ Hand back", { chat: m.group, messageId: card.message_id, ...wait });
      await customer.waitForMessage((msg) => msg.text?.startsWith("How well did Lena help you?") ?? false, wait);
    },
  );

  it("goes to a person when a flow fails unexpectedly, and tells the customer", async () => {
    const { order, customer } = await openOrderDialog(harness);
    // The dialog is at a step this version does not know (a newer release wrote it before a
    // rollback): showing the order fails inside the bot, not at Telegram.
    await harness.app.services.db.orderDialog.update({ where: { orderId: order.id }, data: { step: "choose_gift_wrap" } });
    await customer.sendText(`/start ${startTokenOf(order.startLink)}`);
    await customer.waitForMessage(
      (msg) => msg.text === "Sorry, something went wrong on our side. We have been told and will sort it out.",
      wait,
    );
    const card = await m.maria.waitForMessage(isCard(order.externalId), { chat: m.group, ...wait });
    expect(card.text).toContain("❓ Why: the bot ran into an error");
    expect((await customer.waitForMessage((msg) => msg.text?.startsWith("I have asked a colleague") ?? false, wait)).text).toBe(
      "I have asked a colleague from Demo Shop to help you. A person from Demo Shop will answer you here within 15 minutes.",
    );
    const webhook = await harness.webhooks.waitFor("order.escalated", { orderId: order.id });
    expect(webhook.body.data).toMatchObject({ reason: "flow_failure", order: { dialog: { owner: "waiting_manager" } } });
  });

  it("closes a chat nobody took, tells the customer so, and shows the order where it stopped", async () => {
    const { order, customer, card, threadId, readBack } = await escalatedFromButton();
    await m.maria.tapButton("🔒 Close", { chat: m.group, messageId: card.message_id, ...wait });
    await expect.poll(() => harness.standin.topics(m.group.id).find((t) => t.message_thread_id === threadId)?.closed, poll).toBe(true);
    await customer.waitForMessage(
      (msg) =>
        msg.text === "Your request for a person at Demo Shop has been closed, and I am here again. If you still need a person, send /help.",
      wait,
    );
    const resumed = await customer.waitForMessage((msg) => msg.text?.includes("Is everything correct?") ?? false, wait);
    expect(resumed.message_id).toBeGreaterThan(readBack.message_id);
    expect((await harness.api("GET", `/orders/${order.id}`)).body.dialog).toMatchObject({ owner: "bot", step: "read_back" });
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain("🔒 Closed");
    // Closing asks for no rating of help nobody gave.
    await harness.app.drain();
    expect(customer.messages.some((msg) => msg.text?.startsWith("How well did"))).toBe(false);
  });

  it("closes a chat a manager took, in the manager's name, and the bot carries on where it stopped", async () => {
    const { order, customer, card } = await escalatedFromButton();
    await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage((msg) => msg.text?.startsWith("Maria from Demo Shop") ?? false, wait);
    await m.maria.tapButton("🔒 Close", { chat: m.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage(
      (msg) =>
        msg.text === "Maria has finished helping you, and I am here again. Thank you for your patience! Let us carry on where we stopped.",
      wait,
    );
    const resumed = await customer.waitForMessage((msg) => msg.text?.includes("Is everything correct?") ?? false, wait);
    await customer.tapButton("✅ Confirm", { messageId: resumed.message_id });
    await expect.poll(async () => (await harness.api("GET", `/orders/${order.id}`)).body.state, poll).toBe("confirmed");
  });

  it("keeps a manager's chat across a restart", async () => {
    const { order, customer, card, threadId } = await escalatedFromButton();
    await m.maria.tapButton("🙋 Take", { chat: m.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage((msg) => msg.text?.startsWith("Maria from Demo Shop") ?? false, wait);
    await harness.restart();
    await customer.sendText("Are you still with me after the update?");
    await m.maria.waitForMessage((msg) => msg.text === "👤 Anna: Are you still with me after the update?", {
      chat: m.group,
      threadId,
      ...wait,
    });
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
    expect(webhook.body.data).toMatchObject({
      reason: "customer_request",
      pings: 1,
      order: { id: order.id, dialog: { owner: "waiting_manager" } },
    });
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain("⚠️ Nobody took it in time");

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
    const groupQueue = await harness.app.services.db.outboxMessage.count({
      where: { chatId: BigInt(m.group.id), status: { in: ["pending", "sending"] } },
    });
    expect(groupQueue).toBeGreaterThan(0);

    // Nothing is dropped: every message reaches the topic, in order.
    const card = await m.maria.waitForMessage(isCard(waiting.order.externalId), { chat: m.group, timeoutMs: 30_000 });
    for (const text of texts) {
      await m.maria.waitForMessage((msg) => msg.text === `👤 Anna: ${text}`, {
        chat: m.group,
        threadId: card.message_thread_id!,
        timeoutMs: 30_000,
      });
    }
  }, 60_000);
});

describe("ordergram hands the chat to a person on its own, by the clock", () => {
  const minute = 60_000;
  // Tuesday 24 November 2026, 10:00 in Berlin: within contact hours and the managers' working hours.
  const clock = new ManualClock("2026-11-24T09:00:00Z");
  let harness: Harness;
  const setup = withManagersGroup({ workingHours: { days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "18:00" } });
  const m = setup.managers;
  beforeAll(async () => {
    harness = await startHarness({
      clock,
      configYaml: followUpConfig({ notifications: { nudges: { afterMinutes: 60, count: 1 } } }),
      prepare: setup.prepare,
    });
  });
  afterAll(() => harness.close());

  it("goes to a person when the customer does not answer the nudges, through the nudge timer", async () => {
    const { order, customer } = await openOrderDialog(harness);
    await waitForPlan(harness, clock, order.id, "order.awaiting");
    advance(harness, clock, 59 * minute); // an hour after the read-back
    expect((await customer.waitForMessage((msg) => msg.text?.startsWith("⏰") ?? false, wait)).text).toContain(
      "is still waiting for your confirmation",
    );
    expect(harness.standin.messages(m.group.id).some(isCard(order.externalId))).toBe(false);

    advance(harness, clock, 60 * minute); // the nudge went unanswered too
    const card = await m.maria.waitForMessage(isCard(order.externalId), { chat: m.group, ...wait });
    expect(card.text).toContain("❓ Why: no answer to the reminders");
    expect((await customer.waitForMessage((msg) => msg.text?.startsWith("I have asked a colleague") ?? false, wait)).text).toBe(
      "I have asked a colleague from Demo Shop to help you. A person from Demo Shop will answer you here within 15 minutes.",
    );
    const webhook = await harness.webhooks.waitFor("order.escalated", { orderId: order.id });
    expect(webhook.body.data).toMatchObject({ reason: "no_answer_to_nudges", order: { dialog: { owner: "waiting_manager" } } });
    // The customer's own taps on the order keep working while the chat waits for a person.
    const confirmData = () =>
      (
        customer.messages.findLast((msg) => msg.text?.includes("Is everything correct?"))?.reply_markup?.inline_keyboard.flat()[0] as
          { callback_data?: string } | undefined
      )?.callback_data;
    // They carry the dialog's version as it is (who has the chat is not part of the dialog).
    const { version } = (await harness.api("GET", `/orders/${order.id}`)).body.dialog;
    await expect.poll(confirmData, poll).toMatch(new RegExp(`:${version}:c$`));
    await customer.tapButton("✅ Confirm");
    await harness.webhooks.waitFor("order.confirmed", { orderId: order.id });
  });

  it("tells a customer who asks outside working hours when a person will answer, and pings nobody before then", async () => {
    setClock(harness, clock, "2026-11-27T18:30:00Z"); // Friday 19:30 in Berlin: the managers have gone home
    const { order, customer } = await openOrderDialog(harness);
    await customer.tapButton("🙋 Talk to a person");
    expect((await customer.waitForMessage((msg) => msg.text?.startsWith("Our team is not at work") ?? false, wait)).text).toBe(
      "Our team is not at work right now: a person from Demo Shop will answer you here from Monday 09:00.",
    );
    await m.maria.waitForMessage(isCard(order.externalId), { chat: m.group, ...wait });
    // The "nobody took it" timer counts working time: ten minutes after Monday's opening.
    const reping = await harness.app.services.db.job.findFirst({ where: { orderId: order.id, kind: "handoff.reping" } });
    expect(reping?.dueAt.toISOString()).toBe("2026-11-30T08:10:00.000Z");
  });
});

describe("managers who work in another language than the customer's", () => {
  let harness: Harness;
  const setup = withManagersGroup({ language: "ru" });
  const m = setup.managers;
  beforeAll(async () => {
    harness = await startHarness({ prepare: setup.prepare });
  });
  afterAll(() => harness.close());

  it("writes into the group in the managers' language (Russian) and to the customer in hers (Hungarian)", async () => {
    const created = await harness.api(
      "POST",
      "/orders",
      orderPayload({ customer: { name: "Réka", phone: "+36 30 123 4567", language: "hu" } }),
    );
    expect(created.status).toBe(201);
    const order = created.body;
    const customer = harness.addCustomer({ firstName: "Réka", languageCode: "hu" });
    await customer.sendText(`/start ${startTokenOf(order.startLink)}`);
    expect((await customer.waitForMessage()).text).toContain(`${order.externalId}`);
    await customer.tapButton("🙋 Munkatárssal beszélnék");
    expect((await customer.waitForMessage((msg) => msg.text?.includes("15 perc") ?? false, wait)).text).toBe(
      "Egy munkatársunk (Demo Shop) legfeljebb 15 perc múlva válaszol Önnek itt.",
    );

    const card = await m.maria.waitForMessage(isCard(order.externalId), { chat: m.group, ...wait });
    for (const line of [
      "🆘 Réka · hu",
      `🧾 ${order.externalId} · не подтверждён ·`,
      "❓ Почему: клиент попросил человека",
      "⏳ Ждёт менеджера",
    ]) {
      expect(card.text).toContain(line);
    }
    expect(buttonsOf(card)).toEqual(["🙋 Взять", "🔒 Закрыть"]);
    const threadId = card.message_thread_id!;

    expect((await m.maria.tapButton("🙋 Взять", { chat: m.group, messageId: card.message_id, ...wait })).text).toMatch(/^Чат ваш/);
    await customer.waitForMessage((msg) => msg.text === "Maria (Demo Shop) már Önnel van, és itt segít.", wait);
    await expect.poll(() => buttonsOf(current(harness, m.group, card.message_id)), poll).toContain("🚚 Изменить доставку");
    await customer.sendText("Jó napot, mikor jön a futár?");
    expect((await m.maria.waitForMessage((msg) => msg.text?.includes("futár") ?? false, { chat: m.group, threadId, ...wait })).text).toBe(
      "👤 Réka: Jó napot, mikor jön a futár?",
    );
    await m.maria.sendText("/hold", { chat: m.group, threadId });
    await m.maria.waitForMessage((msg) => msg.text === "Напишите причину: /hold ждём поставщика", { chat: m.group, threadId, ...wait });

    await m.maria.tapButton("↩️ Вернуть боту", { chat: m.group, messageId: card.message_id, ...wait });
    await customer.waitForMessage(
      (msg) =>
        msg.text === "Maria befejezte a segítségnyújtást, és újra én vagyok itt. Köszönöm a türelmét! Folytassuk ott, ahol abbahagytuk.",
      wait,
    );
    await customer.waitForMessage((msg) => msg.text?.startsWith("Mennyire segített Önnek Maria?") ?? false, wait);
    await expect.poll(() => current(harness, m.group, card.message_id)?.text, poll).toContain("↩️ Возвращён боту");
  });
});
