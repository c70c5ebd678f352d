import type { Message } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { orderLimits } from "../../src/domain/order.js";
import { supportedLanguages } from "../../src/locales/supported-languages.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { followUpConfig, managersGroup, managerTakes } from "../support/follow-up-kit.js";
import { orderPayload, startTokenOf } from "../support/order-payload.js";

// The largest order the API accepts (100 items with 200-character names, the longest address and
// comment) against the stand-in, which refuses what Telegram refuses: a text over 4096
// characters, callback data over 64 bytes. Issue 14, item 2.

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const itemName = (n: number) =>
  `Item ${String(n).padStart(3, "0")} ${"handmade ceramic tea bowl, glazed ".repeat(8)}`.slice(0, 200).trimEnd();

function largestOrder(language: string) {
  return orderPayload({
    customer: { name: "Anna", phone: `+49 170 9${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`, language },
    items: Array.from({ length: 100 }, (_, i) => ({
      sku: `SKU-${i + 1}`,
      name: itemName(i + 1),
      quantity: orderLimits.maxQuantity,
      unitPrice: "99999.99",
    })),
    delivery: {
      method: "courier",
      address: `Hauptstr. 1, 10115 Berlin, ${"Hinterhaus, 3. OG links, ".repeat(30)}`.slice(0, orderLimits.maxAddressLength),
      date: "2026-12-02",
      window: "10:00-14:00",
    },
    comment: "Please ring twice. ".repeat(60).slice(0, orderLimits.maxCommentLength),
  });
}

const buttons = (m: { reply_markup?: { inline_keyboard: Array<Array<{ text: string }>> } } | undefined) =>
  m?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];

describe("the largest order the API accepts", () => {
  it("is read back in every language within Telegram's limits, with every item one tap away", async () => {
    const h = (harness = await startHarness({ configYaml: followUpConfig({ shop: { languages: [...supportedLanguages] } }) }));
    for (const language of supportedLanguages) {
      const created = await h.api("POST", "/orders", largestOrder(language));
      expect(created.status).toBe(201);
      const customer = h.addCustomer({ firstName: "Anna", languageCode: language });
      await customer.sendText(`/start ${startTokenOf(created.body.startLink)}`);
      const readBack = await customer.waitForMessage();
      expect(readBack.text!.length).toBeLessThanOrEqual(4096);
      expect(readBack.text).toContain(itemName(1));
      expect(readBack.text).not.toContain(itemName(100));
      expect(readBack.text).toContain(created.body.comment);
      const allItems = buttons(readBack).find((b) => b.startsWith("📋"));
      expect(allItems, language).toBeDefined();

      // The whole list, over as many messages as it takes, each within the limit.
      await customer.tapButton(allItems!);
      await expect
        .poll(() =>
          customer.messages
            .filter((m) => m.from?.is_bot)
            .map((m) => m.text ?? "")
            .join("\n"),
        )
        .toContain(itemName(100));
      const list = customer.messages.filter((m) => m.from?.is_bot && m.message_id > readBack.message_id);
      expect(list.length).toBeGreaterThan(1);
      for (const message of list) expect(message.text!.length).toBeLessThanOrEqual(4096);
      for (let n = 1; n <= 100; n++) expect(list.filter((m) => m.text!.includes(itemName(n)))).toHaveLength(1);
    }
  });

  it("lets the customer pick any of its 100 lines, a page at a time, and confirm", async () => {
    const h = (harness = await startHarness({ configYaml: followUpConfig() }));
    const created = await h.api("POST", "/orders", largestOrder("en"));
    const customer = h.addCustomer({ firstName: "Anna" });
    await customer.sendText(`/start ${startTokenOf(created.body.startLink)}`);
    await customer.waitForMessage();
    await customer.tapButton("✏️ Change something");
    await customer.tapButton("Change a quantity");
    const page = () => customer.messages.find((m) => m.text?.includes("Which item's quantity"));
    await expect.poll(() => page()?.text).toContain("Items 1–10 of 100");
    expect(buttons(page()).filter((b) => /^\d+\. /.test(b))).toHaveLength(10);
    expect(buttons(page())).toContain("▶");
    expect(buttons(page())).not.toContain("◀");

    await customer.tapButton("▶");
    await expect.poll(() => page()?.text).toContain("Items 11–20 of 100");
    expect(buttons(page())).toEqual(expect.arrayContaining(["◀", "▶", "« Back"]));
    const fifteenth = buttons(page()).find((b) => b.startsWith("15. "))!;
    await customer.tapButton(fifteenth);
    await customer.tapButton("3");
    await expect.poll(async () => (await h.api("GET", `/orders/${created.body.id}`)).body.items[14].quantity).toBe(3);
    await customer.tapButton("✅ Confirm");
    await expect.poll(async () => (await h.api("GET", `/orders/${created.body.id}`)).body.state).toBe("confirmed");
  });

  /** The largest order, its customer's chat taken by Maria; `refused` collects what Telegram refused. */
  async function takenByMaria() {
    const setup = managersGroup();
    const h = (harness = await startHarness({ configYaml: followUpConfig(), prepare: setup.prepare }));
    const refused: string[] = [];
    h.standin.events.on("api-call", ({ method, outcome }) => {
      if (!outcome.ok && !/not modified/.test(outcome.description)) refused.push(`${method}: ${outcome.description}`);
    });
    const created = await h.api("POST", "/orders", largestOrder("en"));
    const customer = h.addCustomer({ firstName: "Anna" });
    await customer.sendText(`/start ${startTokenOf(created.body.startLink)}`);
    await customer.waitForMessage();
    await customer.tapButton("🙋 Talk to a person");
    const { maria, group } = setup.managers;
    const card = await managerTakes(setup.managers, created.body.externalId);
    return { customer, maria, group, card, inTopic: { chat: group, threadId: card.message_thread_id! }, refused };
  }

  it("shows the managers a card of it, with long notes, that Telegram takes", async () => {
    const { maria, group, card, inTopic, refused } = await takenByMaria();
    // Each note as long as a Telegram message can be.
    for (let n = 1; n <= 8; n++)
      await maria.sendText(`// note ${n}: ${"she wants it gift-wrapped & <fast>. ".repeat(120)}`.slice(0, 4096), inTopic);
    await maria.sendText(`/hold ${"waiting for the supplier & the carrier ".repeat(120)}`.slice(0, 4096), inTopic);

    const cardNow = () => maria.messagesIn({ chat: group }).find((m) => m.message_id === card.message_id)?.text ?? "";
    await expect.poll(cardNow, { timeout: 5000 }).toContain("⏸ On hold: waiting for the supplier & the carrier");
    expect(cardNow().length).toBeLessThanOrEqual(4096);
    expect(cardNow()).toContain("• Maria: note 8: she wants it gift-wrapped & <fast>.");
    expect(cardNow().indexOf("note 8:")).toBeLessThan(cardNow().indexOf("note 7:"));
    expect(cardNow()).toMatch(/• \+\d+ older notes/);
    expect(refused).toEqual([]);
  });

  it("relays the longest texts and captions both ways, nothing lost", async () => {
    const { customer, maria, group, inTopic, refused } = await takenByMaria();
    const words = (who: string) =>
      Array.from({ length: 700 }, (_, i) => `${who}${i}`)
        .join(" ")
        .slice(0, 4096)
        .replace(/ \S*$/, "");
    /** The bot's texts in a chat after the message `after`, joined as the reader reads them. */
    const botTextsAfter = (messages: Message[], after: number) =>
      messages
        .filter((m) => m.from?.is_bot && m.message_id > after)
        .map((m) => m.text ?? "")
        .join(" ");
    const fromCustomer = words("c");
    const topicBefore = maria.messagesIn({ chat: group }).at(-1)!.message_id;
    await customer.sendText(fromCustomer);
    await expect
      .poll(() => botTextsAfter(maria.messagesIn({ chat: group }), topicBefore), { timeout: 5000 })
      .toBe(`👤 Anna: ${fromCustomer}`);

    await customer.sendPhoto({ width: 40, height: 30 }, { caption: "the box & the lid ".repeat(60).slice(0, 1024) });
    const photo = await maria.waitForMessage((m) => m.photo !== undefined, { ...inTopic, timeoutMs: 5000 });
    expect(photo.caption!.length).toBeLessThanOrEqual(1024);
    expect(photo.caption).toMatch(/^👤 Anna: the box & the lid .*…$/);

    const fromMaria = words("m");
    const chatBefore = customer.messages.at(-1)!.message_id;
    await maria.sendText(fromMaria, inTopic);
    await expect.poll(() => botTextsAfter(customer.messages, chatBefore), { timeout: 5000 }).toBe(`Maria, Demo Shop\n${fromMaria}`);
    expect(refused).toEqual([]);
  });
});
