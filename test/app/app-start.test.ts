import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseDocument } from "yaml";
import { telegramWebhookUrl, webhookSecretFor } from "../../src/bots/bot-transport.js";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog } from "../support/order-payload.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("ordergram started against the local Telegram stand-in", () => {
  it("answers /start over long polling with the shop's greeting and asks for the phone", async () => {
    harness = await startHarness();
    const customer = harness.addCustomer({ firstName: "Anna" });
    await customer.sendText("/start");
    const reply = await customer.waitForMessage();
    expect(reply.text).toContain("Hello! This is Demo Shop, manager Anna.");
    expect(reply.text).toContain("please share the phone number you ordered with");
    expect(customer.replyKeyboard()?.keyboard[0]?.[0]).toMatchObject({ text: "📱 Share my phone number", request_contact: true });
    expect(harness.app.transport).toBe("polling");
  });

  it("speaks Russian to a customer whose Telegram is in Russian, with the assistant's Russian name", async () => {
    harness = await startHarness();
    const customer = harness.addCustomer({ firstName: "Иван", languageCode: "ru" });
    await customer.sendText("/start");
    expect((await customer.waitForMessage()).text).toContain("Здравствуйте! Это Demo Shop, менеджер Анна.");
  });

  it(
    "introduces the assistant by their Ukrainian name to a Ukrainian customer, in the greeting and in the order's first " + "message",
    async () => {
      harness = await startHarness();
      const customer = harness.addCustomer({ firstName: "Олена", languageCode: "uk" });
      await customer.sendText("/start");
      expect((await customer.waitForMessage()).text).toContain("Вітаю! Це Demo Shop, менеджерка Анна.");

      // The order says its language; the test clock stands at 10:00 in Berlin.
      const { readBack } = await openOrderDialog(harness, { customer: { name: "Олена", phone: "+380501234567", language: "uk" } });
      expect(readBack.text).toMatch(/^Доброго ранку, Олена! Це Demo Shop, менеджерка Анна\./);
    },
  );

  it("says the language's default where the per-language names have none", async () => {
    const doc = parseDocument(readFileSync(exampleConfigPath, "utf8"));
    doc.setIn(["shop", "assistantName"], { en: "manager Anna" });
    harness = await startHarness({ configYaml: doc.toString() });
    const customer = harness.addCustomer({ firstName: "Олена", languageCode: "uk" });
    await customer.sendText("/start");
    expect((await customer.waitForMessage()).text).toContain("Вітаю! Це Demo Shop, ваш помічник із замовлень.");
  });

  it("receives updates by webhook when a public URL is set, and refuses posts without Telegram's secret", async () => {
    harness = await startHarness({ webhook: true });
    expect(harness.app.transport).toBe("webhook");
    const customer = harness.addCustomer();
    await customer.sendText("/start");
    expect((await customer.waitForMessage()).text).toContain("This is Demo Shop");

    const forged = await fetch(`${harness.app.url}/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "wrong" },
      body: JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "/start" } }),
    });
    expect(forged.status).toBe(401);
    expect(webhookSecretFor("a")).not.toBe(webhookSecretFor("b"));
  });

  it("registers the webhook under the public URL's own path", async () => {
    const registered: unknown[] = [];
    harness = await startHarness({
      webhook: true,
      prepare: (standin, file) => {
        file.telegram.publicUrl = `${file.telegram.publicUrl}/og/`;
        standin.events.on("api-call", (call) => {
          if (call.method === "setWebhook") registered.push(call.params.url);
        });
      },
    });
    expect(registered).toEqual([`${harness.app.url.replace(/\/$/, "")}/og/telegram/webhook`]);
    expect(telegramWebhookUrl("https://shop.example.com/og")).toBe("https://shop.example.com/og/telegram/webhook");
    expect(telegramWebhookUrl("https://shop.example.com/")).toBe("https://shop.example.com/telegram/webhook");
    expect(telegramWebhookUrl("https://shop.example.com")).toBe("https://shop.example.com/telegram/webhook");
  });

  it("reports its health with the database checked", async () => {
    harness = await startHarness();
    const response = await fetch(`${harness.app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok", telegram: "polling" });
  });

  it("answers a message it does not understand with a pointer, not silence", async () => {
    harness = await startHarness();
    const customer = harness.addCustomer();
    await customer.sendText("where is my parcel???");
    expect((await customer.waitForMessage()).text).toBe(
      "Sorry, I did not understand that. Please use the buttons under my last message, or tap /start to see your orders.",
    );
  });

  it("finishes the update in hand when stopped, and starts again on the same database", async () => {
    harness = await startHarness();
    const customer = harness.addCustomer();
    await customer.sendText("/start");
    await customer.waitForMessage();

    // The bot is in the middle of answering (Telegram slow to take its message) when the
    // deploy stops it: the answer still arrives, and stop() waits for it.
    harness.standin.injectFault({ method: "sendMessage", chatId: customer.id, delayMs: 1_000 });
    await customer.sendText("/start");
    await vi.waitFor(() => expect(harness!.standin.world.faults.pending).toBe(0), { timeout: 10_000, interval: 10 });
    await harness.app.stop();
    expect(customer.lastBotMessage()?.text).toContain("This is Demo Shop");
    expect(customer.messages.filter((m) => m.from?.is_bot).length).toBe(2);

    await harness.restart();
    await customer.sendText("/start");
    expect((await customer.waitForMessage()).text).toContain("This is Demo Shop");
    // Nothing was handled twice across the restart.
    expect(customer.messages.filter((m) => m.from?.is_bot).length).toBe(3);
  });
});
