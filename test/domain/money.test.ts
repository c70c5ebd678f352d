import { describe, expect, it } from "vitest";
import { formatMoney, isKnownCurrency, parseMoney, toDecimalString } from "../../src/domain/money.js";

describe("money", () => {
  it("reads decimal strings exactly, in the currency's minor units", () => {
    expect(parseMoney("12.5", "EUR")).toEqual({ ok: true, minor: 1250n });
    expect(parseMoney("0.10", "USD")).toEqual({ ok: true, minor: 10n });
    expect(parseMoney("1500", "JPY")).toEqual({ ok: true, minor: 1500n });
    expect(parseMoney("1.234", "KWD")).toEqual({ ok: true, minor: 1234n });
    expect(parseMoney("999999999999999.99", "EUR")).toEqual({ ok: true, minor: 99999999999999999n });
  });

  it("takes a JSON integer as minor units", () => {
    expect(parseMoney(1250, "EUR")).toEqual({ ok: true, minor: 1250n });
  });

  it("refuses floats, extra decimals and text instead of rounding", () => {
    expect(parseMoney(12.5, "EUR").ok).toBe(false);
    expect(parseMoney("12.505", "EUR")).toEqual({ ok: false, reason: "EUR has 2 decimal places at most" });
    expect(parseMoney("1.5", "JPY")).toEqual({ ok: false, reason: "JPY has 0 decimal places at most" });
    expect(parseMoney("12,50", "EUR").ok).toBe(false);
    expect(parseMoney("1e3", "EUR").ok).toBe(false);
  });

  it("writes amounts back as exact decimal strings", () => {
    expect(toDecimalString(1250n, "EUR")).toBe("12.50");
    expect(toDecimalString(5n, "EUR")).toBe("0.05");
    expect(toDecimalString(-5n, "EUR")).toBe("-0.05");
    expect(toDecimalString(1500n, "JPY")).toBe("1500");
  });

  it("formats for the customer's locale", () => {
    expect(formatMoney(123456n, "RUB", "ru")).toBe("1\u00a0234,56\u00a0₽");
    expect(formatMoney(123456n, "EUR", "en")).toBe("€1,234.56");
    expect(formatMoney(99999999999999999n, "USD", "en")).toBe("$999,999,999,999,999.99");
  });

  it("knows ISO 4217 codes", () => {
    expect(isKnownCurrency("EUR")).toBe(true);
    expect(isKnownCurrency("HUF")).toBe(true);
    expect(isKnownCurrency("XYZ")).toBe(false);
    expect(isKnownCurrency("eur")).toBe(false);
  });
});
