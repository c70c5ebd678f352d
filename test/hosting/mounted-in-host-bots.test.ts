import { readFileSync } from "node:fs";
import { Bot, InlineKeyboard } from "grammy";
import { Markup, Telegraf } from "telegraf";
import { afterEach, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { exampleConfigPath, parseConfigFile, withEnv } from "../../src/config/load-config.js";
import { createOrdergram, type Ordergram } from "../../src/index.js";
import { OffsetClock } from "../../src/shared/clock.js";
import { startTelegramStandin, type TelegramStandin } from "../../src/telegram-standin/index.js";
import { apiToken, testConfig, testStartTime } from "../support/app-harness.js";
import { freePort } from "../support/free-port.js";
import { orderPayload, startTokenOf } from "../support/order-payload.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { WebhookReceiver } from "../support/webhook-receiver.js";

const token = "4242424242:HOST-bot-token-for-the-local-stand-in-xyz";

interface Host {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A shop's own bot with its /catalog, its buttons and its /start, and ordergram mounted first. */
const hosts: Record<string, (apiRoot: string, ordergram: Ordergram) => Host> = {
  telegraf: (apiRoot, ordergram) => {
    const bot = new Telegraf(token, { telegram: { apiRoot } });
    bot.use(ordergram.telegraf());
    bot.start((ctx) => ctx.reply(`Welcome to the tea shop bot!${ctx.payload ? ` (ref ${ctx.payload})` : ""}`));
    bot.command("catalog", (ctx) => ctx.reply("Our catalogue:", Markup.inlineKeyboard([Markup.button.callback("Teas", "host:teas")])));
    bot.action("host:teas", async (ctx) => {
      await ctx.answerCbQuery();
      await ctx.reply("Teas: green, black, jasmine.");
    });
    bot.command("help", (ctx) => ctx.reply("The tea shop bot's own help."));
    bot.command("take", (ctx) => ctx.reply("The tea shop bot's own /take: your free sample is reserved."));
    let launched: Promise<void> | undefined;
    return {
      start: () =>
        new Promise<void>((resolve, reject) => {
          launched = bot.launch({ dropPendingUpdates: false }, () => resolve()).catch(reject);
        }),
      stop: async () => {
        bot.stop("test over");
        await launched;
      },
    };
  },
  grammy: (apiRoot, ordergram) => {
    const bot = new Bot(token, { client: { apiRoot } });
    bot.use(ordergram.grammy());
    bot.command("start", (ctx) => ctx.reply(`Welcome to the tea shop bot!${ctx.match ? ` (ref ${ctx.match})` : ""}`));
    bot.command("catalog", (ctx) => ctx.reply("Our catalogue:", { reply_markup: new InlineKeyboard().text("Teas", "host:teas") }));
    bot.callbackQuery("host:teas", async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.reply("Teas: green, black, jasmine.");
    });
    bot.command("help", (ctx) => ctx.reply("The tea shop bot's own help."));
    bot.command("take", (ctx) => ctx.reply("The tea shop bot's own /take: your free sample is reserved."));
    let running: Promise<void> | undefined;
    return {
      start: () =>
        new Promise<void>((resolve) => {
          running = bot.start({ onStart: () => resolve() });
        }),
      stop: async () => {
        await bot.stop();
        await running;
      },
    };
  },
};

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function mount(kind: keyof typeof hosts) {
  const standin: TelegramStandin = await startTelegramStandin();
  cleanup.push(() => standin.close());
  standin.addBot({ token, username: "tea_shop_bot", firstName: "Tea Shop" });
  const database: TestDatabase = await createTestDatabase("sqlite");
  cleanup.push(() => database.close());
  const webhooks = await WebhookReceiver.start();
  cleanup.push(() => webhooks.close());
  // The shop renamed ordergram's /help, because its own bot has one.
  const doc = parseDocument(readFileSync(exampleConfigPath, "utf8"));
  doc.set("commands", { help: "ask_person" });
  const file = parseConfigFile(doc.toString(), "test config");
  const ordergram = await createOrdergram({
    token,
    apiRoot: standin.url,
    apiToken,
    config: testConfig({ databaseUrl: database.url, port: await freePort(), webhooksUrl: webhooks.url, file }),
    clock: new OffsetClock(Date.now, testStartTime),
  });
  cleanup.push(() => ordergram.stop());
  const host = hosts[kind]!(standin.url, ordergram);
  await host.start();
  cleanup.push(() => host.stop());
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${ordergram.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  return { standin, ordergram, api, webhooks };
}

describe.each(["telegraf", "grammy"] as const)("ordergram mounted into a %s bot", (kind) => {
  it("confirms an order end to end, while the host's own command, buttons and /start still work", async () => {
    const { standin, api, webhooks } = await mount(kind);
    const customer = standin.addUser({ firstName: "Anna", languageCode: "en" });

    // The host's own things first.
    await customer.sendText("/catalog");
    expect((await customer.waitForMessage()).text).toBe("Our catalogue:");
    await customer.tapButton("Teas");
    expect((await customer.waitForMessage()).text).toBe("Teas: green, black, jasmine.");
    await customer.sendText("/start spring-campaign");
    expect((await customer.waitForMessage()).text).toBe("Welcome to the tea shop bot! (ref spring-campaign)");
    // A payload of the host's that happens to look like one of ordergram's tokens is the host's too.
    await customer.sendText("/start winter_sale_2026_newsletter_campaign_a");
    expect((await customer.waitForMessage()).text).toBe("Welcome to the tea shop bot! (ref winter_sale_2026_newsletter_campaign_a)");
    await customer.sendText("/help");
    expect((await customer.waitForMessage()).text).toBe("The tea shop bot's own help.");
    // ordergram's managers' commands are ordergram's in the managers' topics only: in a private
    // chat the host's own /take is the host's.
    await customer.sendText("/take");
    expect((await customer.waitForMessage()).text).toBe("The tea shop bot's own /take: your free sample is reserved.");

    // Then an order through ordergram, with the same bot.
    const order = (await api("POST", "/orders", orderPayload({ externalId: `HOST-${kind}` }))).body;
    expect(order.startLink).toMatch(/^https:\/\/t\.me\/tea_shop_bot\?start=/);
    await customer.sendText(`/start ${startTokenOf(order.startLink)}`);
    const readBack = await customer.waitForMessage();
    expect(readBack.text).toContain(`Order HOST-${kind}`);
    await customer.tapButton("✅ Confirm");
    expect(customer.messages.find((m) => m.message_id === readBack.message_id)!.text).toContain("Confirmed.");
    expect((await webhooks.waitFor("order.confirmed", { orderId: order.id })).body.data.order.state).toBe("confirmed");

    // ordergram's renamed command is ordergram's; the host keeps its buttons working afterwards.
    await customer.sendText("/ask_person");
    const help = await customer.waitForMessage();
    expect(help.text).toBe(
      "I read your orders back, change them with you, agree the delivery and keep you posted until it arrives. Use the buttons under my " +
        "messages, or /start to see your orders.\n\nWould you rather talk to a person?",
    );
    expect(help.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual(["🙋 Talk to a person"]);
    // ...and with an order in the chat, the host's /take is still the host's.
    await customer.sendText("/take");
    expect((await customer.waitForMessage()).text).toBe("The tea shop bot's own /take: your free sample is reserved.");
    await customer.sendText("/catalog");
    await customer.tapButton("Teas", { messageId: (await customer.waitForMessage((m) => m.text === "Our catalogue:")).message_id });
    expect((await customer.waitForMessage()).text).toBe("Teas: green, black, jasmine.");
    // Plain /start with nothing open is the host's greeting.
    await customer.sendText("/start");
    expect((await customer.waitForMessage()).text).toBe("Welcome to the tea shop bot!");
  });

  it("answers a failing update the way polling does, and the host bot keeps running", async () => {
    const { standin, api, ordergram } = await mount(kind);
    const customer = standin.addUser({ firstName: "Anna", languageCode: "en" });
    const order = (await api("POST", "/orders", orderPayload({ externalId: `HOST-FAIL-${kind}` }))).body;
    await customer.sendText(`/start ${startTokenOf(order.startLink)}`);
    await customer.waitForMessage();
    // A dialog step this version does not know: showing the order fails inside ordergram.
    await ordergram.app.services.db.orderDialog.update({ where: { orderId: order.id }, data: { step: "choose_gift_wrap" } });
    await customer.sendText(`/start ${startTokenOf(order.startLink)}`);
    expect((await customer.waitForMessage()).text).toBe("Sorry, something went wrong on our side. We have been told and will sort it out.");
    const next = standin.addUser({ firstName: "Boris", languageCode: "en" });
    await next.sendText("/catalog");
    expect((await next.waitForMessage()).text).toBe("Our catalogue:");
  });
});

describe("createOrdergram", () => {
  it("refuses to start with a webhook URL but no secret to sign the webhooks with", async () => {
    const config = testConfig({
      databaseUrl: "file:/tmp/never-created.db",
      port: 0,
      webhooksUrl: "http://127.0.0.1:9/hooks",
      file: parseConfigFile(readFileSync(exampleConfigPath, "utf8"), "test config"),
    });
    const unsigned = withEnv(config, { ORDERGRAM_WEBHOOK_SECRET: undefined });
    await expect(createOrdergram({ token, apiToken, config: unsigned })).rejects.toThrow(
      /ORDERGRAM_WEBHOOK_SECRET.*required because ORDERGRAM_WEBHOOK_URL is set/s,
    );
  });
});
