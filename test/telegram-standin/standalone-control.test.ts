import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { Bot } from "grammy";
import { afterEach, describe, expect, it } from "vitest";

/** The stand-in started as its own process, driven only through its control channel. */
let child: ChildProcess | undefined;
let bot: Bot | undefined;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  child?.kill("SIGTERM");
  child = undefined;
});

const TOKEN = "7000000001:AAtest-token_for_the_standalone_bot";

async function startStandalone(args: string[] = []): Promise<{ apiUrl: string; controlUrl: string; pid: number }> {
  child = spawn(process.execPath, ["--import", "tsx", "src/telegram-standin/standalone.ts", "--exit-with-stdin", ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) return JSON.parse(line) as { apiUrl: string; controlUrl: string; pid: number };
  throw new Error("the stand-in exited before it printed its addresses");
}

async function control(base: string, method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

describe("the stand-in as a separate process", () => {
  it("lets a person talk to a bot through the control channel and reports how fast the bot answered each update", async () => {
    const { apiUrl, controlUrl, pid } = await startStandalone();
    expect(pid).not.toBe(process.pid);
    expect((await control(controlUrl, "POST", "/bots", { token: TOKEN, username: "shop_bot", firstName: "Shop" })).status).toBe(200);

    bot = new Bot(TOKEN, { client: { apiRoot: apiUrl } });
    bot.command("start", (ctx) =>
      ctx.reply("Hello! Confirm?", { reply_markup: { inline_keyboard: [[{ text: "Confirm", callback_data: "c" }]] } }),
    );
    bot.callbackQuery("c", async (ctx) => {
      await ctx.answerCallbackQuery({ text: "Done" });
      await ctx.editMessageText("Confirmed. Thank you!");
    });
    await new Promise<void>((resolve) => void bot!.start({ timeout: 1, onStart: () => resolve() }));

    const { body: created } = await control(controlUrl, "POST", "/users", { firstName: "Ann", languageCode: "en" });
    const greeting = await control(controlUrl, "POST", `/users/${created.id}/act`, { text: "/start", until: { button: "Confirm" } });
    expect(greeting.body).toMatchObject({ ok: true, message: { fromBot: true, text: "Hello! Confirm?", buttons: ["Confirm"] } });

    const tapped = await control(controlUrl, "POST", `/users/${created.id}/act`, { tap: "Confirm", until: { text: "Confirmed" } });
    expect(tapped.body).toMatchObject({
      ok: true,
      tap: { answered: true, text: "Done" },
      message: { text: "Confirmed. Thank you!", buttons: [] },
    });

    const missing = await control(controlUrl, "POST", `/users/${created.id}/act`, { tap: "Cancel", timeoutMs: 500 });
    expect(missing.status).toBe(409);
    expect(missing.body.error).toContain('No inline button "Cancel" on screen');

    const { body: timings } = await control(controlUrl, "GET", "/timings");
    expect(timings.timings.map((t: any) => [t.type, t.firstCall?.method, t.answer?.method])).toEqual([
      ["message", "sendMessage", "sendMessage"],
      ["callback_query", "answerCallbackQuery", "editMessageText"],
    ]);
    for (const timing of timings.timings) expect(timing.answer.at).toBeGreaterThanOrEqual(timing.deliveredAt);

    const { body: sends } = await control(controlUrl, "GET", "/calls?method=sendMessage");
    expect(sends.calls).toEqual([expect.objectContaining({ method: "sendMessage", chatId: created.id, ok: true })]);
    const { body: messages } = await control(controlUrl, "GET", `/users/${created.id}/messages`);
    expect(messages.messages.map((m: any) => m.text)).toEqual(["/start", "Confirmed. Thank you!"]);
  });

  it("creates people who opened the bot before, so the bot may write first, and counts 429s under flood limits", async () => {
    const { apiUrl, controlUrl } = await startStandalone(["--flood-limits"]);
    await control(controlUrl, "POST", "/bots", { token: TOKEN, username: "shop_bot", firstName: "Shop" });
    const { body: stranger } = await control(controlUrl, "POST", "/users", { firstName: "Bob" });
    const { body: known } = await control(controlUrl, "POST", "/users", { firstName: "Eve", started: true });
    const send = (chatId: number) =>
      fetch(`${apiUrl}/bot${TOKEN}/sendMessage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: chatId, text: "Hi" }),
      });
    expect((await send(stranger.id)).status).toBe(403);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await send(known.id)).status);
    // One chat takes a burst of three, then one a second.
    expect(answers).toEqual([200, 200, 200, 429, 429]);
    expect((await control(controlUrl, "GET", "/stats")).body).toMatchObject({ tooManyRequestsSent: 2, users: 2 });

    expect((await control(controlUrl, "POST", "/shutdown")).body).toEqual({ ok: true });
    const exitCode = await new Promise((resolve) => child!.once("exit", resolve));
    expect(exitCode).toBe(0);
    child = undefined;
  });
});
