import { HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import type { TelegramCallResult } from "../../src/shared/operations-metrics.js";
import { countTelegramCalls } from "../../src/telegram/count-telegram-calls.js";

/** Runs one call through the transformer, answered by `answer`, and returns what was counted. */
async function counted(method: string, answer: () => Promise<unknown>): Promise<Array<[string, TelegramCallResult]>> {
  const calls: Array<[string, TelegramCallResult]> = [];
  const transformer = countTelegramCalls({ telegramCall: (m, result) => void calls.push([m, result]) });
  const prev = (() => answer()) as unknown as Parameters<typeof transformer>[0];
  await transformer(prev, method as "sendMessage", { chat_id: 1, text: "hi" }).catch(() => undefined);
  return calls;
}

const refused =
  (error_code: number, description: string, parameters = {}) =>
  async () => ({ ok: false, error_code, description, parameters });

describe("counting Telegram calls by result", () => {
  it("should count each answer by the class Telegram's error falls in", async () => {
    expect(await counted("sendMessage", async () => ({ ok: true, result: {} }))).toEqual([["sendMessage", "ok"]]);
    expect(await counted("sendMessage", refused(429, "Too Many Requests: retry after 3", { retry_after: 3 }))).toEqual([
      ["sendMessage", "429"],
    ]);
    expect(await counted("sendMessage", refused(403, "Forbidden: bot was blocked by the user"))).toEqual([["sendMessage", "403"]]);
    expect(await counted("editMessageText", refused(400, "Bad Request: message is not modified"))).toEqual([["editMessageText", "4xx"]]);
    expect(await counted("sendMessage", refused(502, "Bad Gateway"))).toEqual([["sendMessage", "5xx"]]);
  });

  it("should count a call that never completed as network, and a bug as error", async () => {
    const network = new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET"));
    expect(
      await counted("sendMessage", async () => {
        throw network;
      }),
    ).toEqual([["sendMessage", "network"]]);
    expect(
      await counted("sendMessage", async () => {
        throw new TypeError("a bug");
      }),
    ).toEqual([["sendMessage", "error"]]);
  });

  it("should not count the get* reads, so long polling does not drown the sends", async () => {
    expect(await counted("getUpdates", async () => ({ ok: true, result: [] }))).toEqual([]);
    expect(await counted("getMe", refused(401, "Unauthorized"))).toEqual([]);
  });
});
