import { Bot } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TelegramStandin } from "../../src/telegram-standin/index.js";
import { startWithBot, TOKEN } from "./standin-harness.js";

let standin: TelegramStandin;
let bot: Bot;

beforeEach(async () => {
  standin = await startWithBot();
});
afterEach(async () => {
  await bot.stop();
  await standin.close();
});

describe("an unchanged grammY bot against the stand-in", () => {
  it("long-polls, greets /start and handles a button tap", async () => {
    const methods: string[] = [];
    standin.events.on("api-call", (event) => methods.push(event.method));
    bot = new Bot(TOKEN, { client: { apiRoot: standin.url } });
    bot.command("start", (ctx) =>
      ctx.reply(`Hello, <b>${ctx.from?.first_name}</b>! Ready to confirm order #42?`, {
        parse_mode: "HTML",
        reply_markup: { inline_keyboard: [[{ text: "Confirm", callback_data: "confirm:42" }]] },
      }),
    );
    bot.callbackQuery("confirm:42", async (ctx) => {
      await ctx.answerCallbackQuery({ text: "Order confirmed" });
      await ctx.editMessageText("Order #42 is confirmed. Thank you!");
    });
    const started = new Promise<void>((resolve) => void bot.start({ timeout: 1, onStart: () => resolve() }));
    await started;

    const ann = standin.addUser({ firstName: "Ann" });
    await ann.sendText("/start");
    const greeting = await ann.waitForMessage();
    expect(greeting.text).toBe("Hello, Ann! Ready to confirm order #42?");
    expect(greeting.entities).toEqual([{ offset: 7, length: 3, type: "bold" }]);

    const edited = ann.waitForEdit(greeting.message_id);
    expect(await ann.tapButton("Confirm")).toEqual({ answered: true, text: "Order confirmed", showAlert: false });
    expect((await edited).text).toBe("Order #42 is confirmed. Thank you!");
    expect(ann.messages.map((message) => message.text)).toEqual(["/start", "Order #42 is confirmed. Thank you!"]);
    // grammY starts exactly as against api.telegram.org.
    expect(methods.slice(0, 3)).toEqual(["getMe", "deleteWebhook", "getUpdates"]);
  });
});
