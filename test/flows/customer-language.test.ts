import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { ManualClock } from "../../src/shared/clock.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog, orderPayload, startTokenOf } from "../support/order-payload.js";

// A shop that speaks all four languages; Tuesday 10:00 in Berlin, within contact hours.
const config = readFileSync(exampleConfigPath, "utf8").replace(/\n {2}languages: \[[^\]]*\]\n/, "\n  languages: [en, ru, uk, hu]\n");
const buttonTexts = (message: { reply_markup?: { inline_keyboard: Array<Array<{ text: string }>> } }) =>
  message.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];

describe("the customer's language", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ configYaml: config, clock: new ManualClock("2026-11-24T09:00:00Z") });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("offers the shop's languages under the first message, and shows that message again in the one tapped", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness);
    expect(readBack.text).toContain("Is everything correct?");
    expect(buttonTexts(readBack)).toEqual(expect.arrayContaining(["✓ English", "Русский", "Українська", "Magyar"]));

    const tap = await customer.tapButton("Magyar");
    expect(tap).toMatchObject({ answered: true, text: "Köszönöm! Mostantól magyarul írok Önnek." });
    const shown = customer.messages.find((m) => m.message_id === readBack.message_id)!;
    expect(shown.text).toContain("Jó reggelt kívánok, Anna!");
    expect(shown.text).toContain(`Rendelés ${order.externalId}`);
    expect(shown.text).toContain("Minden rendben van így?");
    expect(buttonTexts(shown)).toEqual(expect.arrayContaining(["✅ Megerősítem", "English", "✓ Magyar"]));
    expect((await harness.database.db.customer.findFirst({ where: { telegramUserId: BigInt(customer.id) } }))?.chosenLanguage).toBe("hu");

    // Kept for the customer: the next tap and anything the bot says afterwards are in Hungarian.
    await customer.tapButton("✅ Megerősítem");
    expect(customer.messages.find((m) => m.message_id === readBack.message_id)!.text).toContain("Megerősítve.");
    await customer.sendText("hello?");
    expect((await customer.waitForMessage()).text).toContain("Elnézést, ezt nem értettem.");
  });

  it("lets the customer choose with /language, and the order's live message follows the choice", async () => {
    const { customer, readBack } = await openOrderDialog(harness);
    await customer.sendText("/language");
    const question = await customer.waitForMessage();
    expect(question.text).toBe("Which language would you like me to write to you in?");
    expect(buttonTexts(question)).toEqual(["✓ English", "Русский", "Українська", "Magyar"]);

    await customer.tapButton("Українська", { messageId: question.message_id });
    expect(customer.messages.find((m) => m.message_id === question.message_id)!.text).toBe("Дякую! Відтепер я писатиму вам українською.");
    const order = customer.messages.find((m) => m.message_id === readBack.message_id)!;
    expect(order.text).toContain("Усе правильно?");
    expect(buttonTexts(order)).toContain("✅ Підтвердити");
  });

  it("wins over the order's language and Telegram's in the messages the bot sends on its own", async () => {
    // The shop says the customer speaks Russian; their Telegram is in English; they choose English.
    const created = await harness.api(
      "POST",
      "/orders",
      orderPayload({ customer: { name: "Ivan", phone: "+7 916 555 0199", language: "ru" } }),
    );
    const customer = harness.addCustomer({ firstName: "Ivan", languageCode: "en" });
    await customer.sendText(`/start ${startTokenOf(created.body.startLink)}`);
    const readBack = await customer.waitForMessage();
    expect(readBack.text).toContain("Всё верно?");
    await customer.tapButton("English");
    expect(customer.messages.find((m) => m.message_id === readBack.message_id)!.text).toContain("Is everything correct?");

    await customer.tapButton("✅ Confirm");
    await harness.api("POST", `/orders/${created.body.id}/status`, { status: "shipped" });
    expect((await customer.waitForMessage((m) => m.text?.startsWith("📦") ?? false)).text).toContain("Your order has been shipped.");
  });

  it("keeps a choice made before any order, and greets the order in it", async () => {
    const customer = harness.addCustomer({ languageCode: "en" });
    await customer.sendText("/language");
    await customer.tapButton("Русский", { messageId: (await customer.waitForMessage()).message_id });
    const created = await harness.api("POST", "/orders", orderPayload());
    await customer.sendText(`/start ${startTokenOf(created.body.startLink)}`);
    expect((await customer.waitForMessage()).text).toContain("Давайте сверим ваш заказ");
  });

  it("refuses a language the shop does not offer, and changes nothing", async () => {
    const { customer, readBack } = await openOrderDialog(harness);
    const tap = await customer.forgeCallbackQuery("og:lg:de", { messageId: readBack.message_id });
    expect(tap).toMatchObject({ answered: true, text: "Sorry, that language is no longer available. Please choose one from the buttons." });
    expect(customer.messages.find((m) => m.message_id === readBack.message_id)!.text).toBe(readBack.text);
    expect((await harness.database.db.customer.findFirst({ where: { telegramUserId: BigInt(customer.id) } }))?.chosenLanguage).toBeNull();
  });
});

describe("a shop that speaks one language", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ configYaml: config.replace("languages: [en, ru, uk, hu]", "languages: [en]") });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("shows no language buttons, and /language says so politely", async () => {
    const { customer, readBack } = await openOrderDialog(harness);
    expect(buttonTexts(readBack)).not.toContain("English");
    await customer.sendText("/language");
    expect((await customer.waitForMessage()).text).toBe("Here I can write to you in English only.");
  });
});
