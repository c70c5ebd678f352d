import { afterEach, describe, expect, it } from "vitest";
import { Bot } from "grammy";
import { botToken, startHarness, type Harness } from "../support/app-harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("two instances polling with one token", () => {
  it("keeps the first running while a second polls, and it answers customers again once the second stops", async () => {
    harness = await startHarness();
    const customer = harness.addCustomer();
    await customer.sendText("/start");
    expect((await customer.waitForMessage()).text).toContain("This is Demo Shop");

    // A second instance takes the long poll over a few times: Telegram answers the first's poll 409.
    const second = new Bot(botToken, { client: { apiRoot: harness.standin.url } });
    const conflicts: string[] = [];
    for (let i = 0; i < 3; i++) {
      await second.api.getUpdates({ timeout: 1, limit: 1, offset: -1 }).catch((error: Error) => conflicts.push(error.message));
    }

    const later = harness.addCustomer();
    await later.sendText("/start");
    expect((await later.waitForMessage(undefined, { timeoutMs: 15_000 })).text).toContain("This is Demo Shop");
    expect(harness.app.transport).toBe("polling");
  }, 30_000);
});
