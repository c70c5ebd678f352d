// The ceiling for the dialog benchmark: a bare grammY bot on the same transport as ordergram
// (@grammyjs/runner long polling, the same allowed_updates) that answers every text with a
// message carrying a button and every tap with a callback answer and an edit: the Bot API calls a
// dialog step costs, with no database and no logic. Env: BOT_TOKEN, API_ROOT.
import { run } from "@grammyjs/runner";
import { Bot } from "grammy";
import { allowedUpdates } from "../../src/bots/bot-transport.js";

const token = process.env.BOT_TOKEN;
const apiRoot = process.env.API_ROOT;
if (!token || !apiRoot) throw new Error("BOT_TOKEN and API_ROOT are required");

const bot = new Bot(token, { client: { apiRoot } });
let answers = 0;
const keyboard = { inline_keyboard: [[{ text: "Next", callback_data: "next" }]] };
bot.on("message:text", (ctx) => ctx.reply(`Echo ${++answers}: ${ctx.message.text}`, { reply_markup: keyboard }));
bot.on("callback_query:data", async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(`Echo ${++answers}`, { reply_markup: keyboard });
});

// Like ordergram, log a failed update and go on (without a handler the runner would stop).
bot.catch((error) => process.stderr.write(`echo bot: update ${error.ctx.update.update_id} failed: ${String(error.error)}\n`));

await bot.init();
await bot.api.deleteWebhook();
const runner = run(bot, { runner: { fetch: { allowed_updates: [...allowedUpdates] } } });
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);

const stop = async () => {
  if (runner.isRunning()) await runner.stop();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
