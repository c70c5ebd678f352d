// Many automatic messages due at once: within Telegram's flood limits, and nothing lost or sent
// twice when the process is killed in the middle.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../../src/app/start-app.js";
import { configOf, parseConfigFile, parseEnv } from "../../src/config/load-config.js";
import type { Db } from "../../src/db/create-prisma-client.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import { startTelegramStandin, type TelegramStandin } from "../../src/telegram-standin/index.js";
import type { TelegramTestUser } from "../../src/telegram-standin/telegram-test-user.js";
import { TimingRecorder } from "../../src/telegram-standin/timing-recorder.js";
import { apiToken, startHarness, type Harness } from "../support/app-harness.js";
import { followUpConfig, setClock } from "../support/follow-up-kit.js";
import { orderPayload } from "../support/order-payload.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { freePort } from "../support/free-port.js";

const root = new URL("../..", import.meta.url).pathname;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Customers who have talked to the bot before (so it may write first), without 300 /start round trips. */
async function knownCustomers(standin: TelegramStandin, db: Db, count: number, prefix: string): Promise<TelegramTestUser[]> {
  const users = Array.from({ length: count }, (_, i) => standin.addUser({ firstName: `${prefix}${i}`, languageCode: "en" }));
  const botId = standin.world.bots.values().next().value!.user.id;
  for (const user of users) user.record.startedBots.add(botId);
  await db.telegramChat.createMany({ data: users.map((user) => ({ id: BigInt(user.id), type: "private", languageCode: "en" })) });
  return users;
}

async function createOrders(post: (body: unknown) => Promise<{ status: number }>, users: TelegramTestUser[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const user = users[next++]!;
      const response = await post(
        orderPayload({ customer: { name: user.user.first_name, phone: `+49 171 ${String(user.id).slice(-7)}`, telegramUserId: user.id } }),
      );
      if (response.status !== 201) throw new Error(`order not created: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const botMessages = (users: TelegramTestUser[]) => users.map((user) => user.messages.length);

describe("a burst of automatic messages", () => {
  it("sends 300 read-backs due at opening to 300 chats without a single 429", { timeout: 120_000 }, async () => {
    const clock = new ManualClock("2026-11-24T01:30:00Z"); // night in Berlin
    const harness: Harness = await startHarness({
      clock,
      floodLimits: true,
      // Telegram's own limits (1 a second per chat, 30 a second in all); all 300 due at 09:00 sharp.
      configYaml: followUpConfig({
        telegram: { rateLimits: { perChatPerSecond: 1 } },
        notifications: { contactHours: { firstMessageSpreadMinutes: 0 } },
      }),
    });
    cleanups.push(() => harness.close());
    const users = await knownCustomers(harness.standin, harness.database.db, 300, "Burst");
    await createOrders((body) => harness.api("POST", "/orders", body), users);
    expect(
      await harness.database.db.outboxMessage.count({
        where: { channel: "telegram", status: "pending", nextAttemptAt: new Date("2026-11-24T08:00:00Z") },
      }),
    ).toBe(300);

    // The stand-in's own record of when each message arrived (real time).
    const arrivals = new TimingRecorder(harness.standin.events);
    cleanups.push(() => arrivals.stop());

    setClock(harness, clock, "2026-11-24T08:00:00Z");
    // A 429 leaves its message waiting for retry_after on the test's clock, which stands still here:
    // the failure then names it rather than a count one short.
    await expect
      .poll(() => (harness.standin.tooManyRequestsSent > 0 ? "a 429" : botMessages(users).filter((n) => n === 1).length), {
        timeout: 60_000,
        interval: 200,
      })
      .toBe(300);
    expect(harness.standin.tooManyRequestsSent).toBe(0);
    expect(botMessages(users).every((n) => n === 1)).toBe(true);
    expect(await harness.database.db.outboxMessage.count({ where: { channel: "telegram", status: "sent", attempts: 1 } })).toBe(300);

    // In about the time the global limit allows: 300 at 30 a second is 10 s from the first to the last.
    const sent = arrivals.callsAfter(0, "sendMessage").filter((call) => call.ok);
    expect(sent).toHaveLength(300);
    const seconds = (sent.at(-1)!.at - sent[0]!.at) / 1000;
    expect(seconds).toBeGreaterThan(9);
    expect(seconds).toBeLessThan(20);
  });

  it(
    "delivers every message once when the process is killed in the middle of a burst and started again",
    { timeout: 120_000 },
    async () => {
      const standin = await startTelegramStandin();
      cleanups.push(() => standin.close());
      const token = "1234567890:TEST-token-for-the-local-stand-in-abcdef";
      standin.addBot({ token, username: "test_shop_bot", firstName: "Test Shop" });
      const database: TestDatabase = await createTestDatabase("sqlite");
      cleanups.push(() => database.close());
      const users = await knownCustomers(standin, database.db, 60, "Kill");
      // Open around the clock (the child runs on the real clock), and slow enough to be caught mid-burst.
      const configYaml = followUpConfig({
        telegram: { rateLimits: { perChatPerSecond: 1, globalPerSecond: 10 } },
        notifications: { contactHours: { from: "00:00", to: "24:00", firstMessageSpreadMinutes: 0 } },
      });
      const env = {
        DATABASE_URL: database.url,
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: standin.url,
        ORDERGRAM_API_TOKEN: apiToken,
        LOG_LEVEL: "silent",
      };

      // Instance A: a real process, killed with SIGKILL.
      const port = await freePort();
      const configPath = `${database.url.replace(/^file:/, "")}.config.yaml`;
      writeFileSync(configPath, configYaml);
      // node itself (not the tsx wrapper), so that SIGKILL hits the process that runs ordergram.
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: root,
        env: { PATH: process.env.PATH, ...env, PORT: String(port), ORDERGRAM_CONFIG: configPath },
        stdio: "ignore",
      });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      cleanups.push(() => child.kill("SIGKILL"));
      const api = `http://127.0.0.1:${port}/api/v1`;
      await expect
        .poll(
          () =>
            fetch(`http://127.0.0.1:${port}/healthz`).then(
              (r) => r.status,
              () => 0,
            ),
          { timeout: 30_000, interval: 100 },
        )
        .toBe(200);
      await createOrders(
        (body) =>
          fetch(`${api}/orders`, {
            method: "POST",
            headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
            body: JSON.stringify(body),
          }),
        users,
      );
      await expect.poll(() => botMessages(users).reduce((a, b) => a + b, 0), { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(15);

      // A second instance on the same SQLite file is refused while A lives.
      const config = configOf({
        env: parseEnv({ ...env, PORT: "0" }),
        file: parseConfigFile(configYaml, "test config"),
        configPath: "test config",
      });
      const clock = new ManualClock(new Date());
      const start = () =>
        startApp({
          config,
          apiToken,
          telegram: { token, apiRoot: standin.url },
          clock,
          logger: createLogger({ level: "silent" }),
          outboxPollIntervalMs: 100,
          jobPollIntervalMs: 100,
        });
      await expect(start()).rejects.toThrow(/in use by another ordergram instance on host \S+ \(pid \d+/);

      // Kill A where no answer from Telegram is left unrecorded: from now on every send fails, and
      // once the database has the outcome of every message that did arrive, SIGKILL. (A kill in the
      // instant between Telegram's answer and that record is the one way to a duplicate; it is
      // narrowed, not excluded, by the outbox's design. This test pins down everything else.)
      standin.injectFault({ method: "sendMessage", error: 500, times: 1_000_000 });
      const delivered = () => botMessages(users).reduce((a, b) => a + b, 0);
      await expect
        .poll(async () => (await database.db.outboxMessage.count({ where: { channel: "telegram", status: "sent" } })) === delivered(), {
          timeout: 10_000,
        })
        .toBe(true);
      const beforeKill = delivered();
      child.kill("SIGKILL");
      await exited;
      expect(beforeKill).toBeLessThan(60);
      expect(await database.db.outboxMessage.count({ where: { channel: "telegram", status: { not: "sent" } } })).toBe(60 - beforeKill);
      standin.clearFaults();

      // Instance B takes over the dead one's lock; its clock is past A's leases.
      clock.advance(10 * 60_000);
      const app: RunningApp = await start();
      cleanups.push(() => app.stop());
      await expect.poll(() => botMessages(users).filter((n) => n >= 1).length, { timeout: 60_000, interval: 100 }).toBe(60);
      expect(botMessages(users).every((n) => n === 1)).toBe(true);
      await expect.poll(() => database.db.outboxMessage.count({ where: { channel: "telegram", status: "sent" } })).toBe(60);
    },
  );
});
