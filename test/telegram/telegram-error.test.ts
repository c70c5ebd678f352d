import { GrammyError, HttpError } from "grammy";
import { describe, expect, it, vi } from "vitest";
import { DeliveryError } from "../../src/outbox/delivery-error.js";
import { bestEffort, classifyTelegramError, toOutboxDeliveryError } from "../../src/telegram/telegram-error.js";

const telegram = (code: number, description: string, retryAfter?: number) =>
  new GrammyError(
    `Call to 'sendMessage' failed!`,
    { ok: false, error_code: code, description, ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) },
    "sendMessage",
    {},
  );

describe("classifying Telegram's errors", () => {
  it("should tell each kind of answer apart by code, then by Telegram's description", () => {
    expect(classifyTelegramError(telegram(429, "Too Many Requests: retry after 7", 7))).toEqual({ type: "flood", retryAfterMs: 7000 });
    expect(classifyTelegramError(telegram(403, "Forbidden: bot was blocked by the user")).type).toBe("forbidden");
    expect(
      classifyTelegramError(
        telegram(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same"),
      ).type,
    ).toBe("not_modified");
    expect(classifyTelegramError(telegram(400, "Bad Request: message to edit not found")).type).toBe("message_gone");
    expect(classifyTelegramError(telegram(400, "Bad Request: message can't be edited")).type).toBe("message_gone");
    expect(classifyTelegramError(telegram(400, "Bad Request: message thread not found")).type).toBe("thread_gone");
    expect(classifyTelegramError(telegram(400, "Bad Request: chat not found")).type).toBe("rejected");
    expect(classifyTelegramError(telegram(502, "Bad Gateway")).type).toBe("server");
    expect(classifyTelegramError(new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET"))).type).toBe("network");
    expect(classifyTelegramError(new TypeError("x is undefined")).type).toBe("other");
  });

  it("should map each class to what the outbox does: retry after, unreachable, or give up", () => {
    const flood = toOutboxDeliveryError(telegram(429, "Too Many Requests: retry after 3", 3));
    expect([flood.kind, flood.retryAfterMs]).toEqual(["retry", 3000]);
    expect(toOutboxDeliveryError(telegram(403, "Forbidden: user is deactivated")).kind).toBe("unreachable");
    expect(toOutboxDeliveryError(telegram(400, "Bad Request: chat not found")).kind).toBe("permanent");
    expect(toOutboxDeliveryError(telegram(500, "Internal Server Error")).kind).toBe("retry");
    const own = new DeliveryError("permanent", "managers' group: removed");
    expect(toOutboxDeliveryError(own)).toBe(own);
  });
});

describe("a best-effort call", () => {
  it("should pass silently over 'nothing to do', log other refusals, and throw what is not Telegram's", async () => {
    const logger = { warn: vi.fn() };
    await expect(
      bestEffort(logger, "removing old buttons", () => Promise.reject(telegram(400, "Bad Request: message is not modified"))),
    ).resolves.toBeUndefined();
    expect(logger.warn).not.toHaveBeenCalled();
    await expect(
      bestEffort(logger, "removing old buttons", () => Promise.reject(telegram(429, "Too Many Requests: retry after 30", 30))),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    await expect(bestEffort(logger, "removing old buttons", () => Promise.reject(new TypeError("bug")))).rejects.toThrow("bug");
    await expect(bestEffort(logger, "removing old buttons", () => Promise.resolve(42))).resolves.toBe(42);
  });
});
