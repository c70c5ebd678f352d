// Benchmark 4: ordergram in webhook mode (telegram.publicUrl set). The benchmark plays Telegram's
// side of the webhook: it POSTs updates (a /start or a text from many different people) to
// /telegram/webhook with the secret-token header, with bounded concurrency, and measures updates
// per second and the time each POST took (grammY answers once the update was handled). The bot's
// replies go to the stand-in, where those people exist and have opened the bot.
import path from "node:path";
import { webhookSecretFor } from "../src/bots/bot-transport.js";
import { benchConfigYaml, botToken, startOrdergram, startStandinProcess } from "./lib/environment.js";
import { freePort, ResourceMeter, round } from "./lib/processes.js";
import { distribution, withConcurrency, type Distribution } from "./lib/stats.js";

export interface WebhookResult {
  updates: number;
  concurrency: number;
  people: number;
  ok: number;
  failed: number;
  /** A POST without the right secret header, as a sanity check: expected 401. */
  wrongSecretStatus: number;
  updatesPerSecond: number;
  post: Distribution;
  /** Bot API calls the bot made while handling them (its replies). */
  botCalls: number;
  resources: Record<string, { cpuSeconds: number; cpuCores: number; peakRssMb: number }>;
}

export async function runWebhookBenchmark(options: {
  updates: number;
  concurrency: number;
  workDir: string;
  logDir: string;
  log: (line: string) => void;
}): Promise<WebhookResult> {
  const { updates, concurrency, log } = options;
  const people = Math.min(500, updates);
  const standin = await startStandinProcess({ floodLimits: false, logFile: path.join(options.logDir, "webhook-standin.log") });
  const token = botToken(40);
  await standin.control("POST", "/bots", { token, username: "shop_webhook_bot", firstName: "Demo Shop" });
  const users = await withConcurrency(people, 32, async (i) => {
    const firstName = `Customer${i}`;
    const { id } = await standin.control<{ id: number }>("POST", "/users", { firstName, languageCode: "en", bot: token, started: true });
    return { id, is_bot: false, first_name: firstName, language_code: "en" };
  });
  const port = await freePort();
  const app = await startOrdergram({
    token,
    apiRoot: standin.apiUrl,
    databaseUrl: `file:${path.join(options.workDir, "webhook.db")}`,
    workDir: options.workDir,
    configYaml: benchConfigYaml({ telegram: { publicUrl: `http://127.0.0.1:${port}` } }),
    logFile: path.join(options.logDir, "webhook-ordergram.log"),
    port,
  });
  const endpoint = `${app.url}/telegram/webhook`;
  const secret = webhookSecretFor(token);
  const post = (body: unknown, headerSecret = secret) =>
    fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": headerSecret },
      body: JSON.stringify(body),
    });
  const updateFor = (i: number) => {
    const user = users[i % people]!;
    const round = Math.floor(i / people);
    return {
      update_id: 500_000 + i,
      message: {
        message_id: 10_000 + i,
        from: user,
        chat: { id: user.id, type: "private", first_name: user.first_name },
        date: Math.floor(Date.now() / 1000),
        // Everyone starts the bot, then writes something it has to make sense of.
        ...(round === 0
          ? { text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] }
          : { text: `Where is my order? (${round})` }),
      },
    };
  };
  try {
    const wrongSecretStatus = (await post(updateFor(0), "not-the-secret")).status;
    await standin.control("POST", "/clear");
    const meter = new ResourceMeter([app.child, standin.child]);
    const times: number[] = [];
    let ok = 0;
    let failed = 0;
    const started = performance.now();
    await withConcurrency(updates, concurrency, async (i) => {
      const sent = performance.now();
      const response = await post(updateFor(i)).catch(() => null);
      await response?.arrayBuffer();
      times.push(performance.now() - sent);
      if (response?.ok) ok++;
      else failed++;
    });
    const seconds = (performance.now() - started) / 1000;
    const resources = meter.finish();
    const { calls } = await standin.control<{ calls: unknown[] }>("GET", "/calls");
    const result: WebhookResult = {
      updates,
      concurrency,
      people,
      ok,
      failed,
      wrongSecretStatus,
      updatesPerSecond: round(ok / seconds, 1),
      post: distribution(times),
      botCalls: calls.length,
      resources,
    };
    log(
      `  ${ok}/${updates} updates in ${round(seconds, 2)} s: ${result.updatesPerSecond} updates/s; POST p50/p99 ` +
        `${result.post.p50}/${result.post.p99} ms; wrong secret -> ${wrongSecretStatus}`,
    );
    return result;
  } finally {
    await app.child.stop();
    await standin.child.stop();
  }
}
