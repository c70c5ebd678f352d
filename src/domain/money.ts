/**
 * Money is an integer count of the currency's minor units (cents, kopecks) in a bigint: exact,
 * never a float. ISO 4217 decides how many minor digits a currency has (JPY 0, EUR 2, KWD 3).
 */
import { numberFormat } from "../shared/intl-formats.js";

const minorDigitsCache = new Map<string, number>();

/** Whether the runtime knows the ISO 4217 code (Intl ships the full list). */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return Intl.supportedValuesOf("currency").includes(code);
}

export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

export type ParseMoneyResult = { ok: true; minor: bigint } | { ok: false; reason: string };

/**
 * Reads an amount given either as integer minor units (a JSON integer: 1250 = 12.50 EUR) or as a
 * decimal string in major units ("12.50"). More fraction digits than the currency has is an
 * error, not a rounding.
 */
export function parseMoney(value: number | string, currency: string): ParseMoneyResult {
  const digits = minorDigits(currency);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) return { ok: false, reason: "integer minor units (e.g. 1250 for 12.50) or a decimal string" };
    return { ok: true, minor: BigInt(value) };
  }
  const match = /^(-?)(\d{1,15})(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return { ok: false, reason: 'a decimal amount such as "12.50"' };
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > digits) return { ok: false, reason: `${currency} has ${digits} decimal places at most` };
  const minor = BigInt(whole! + fraction.padEnd(digits, "0"));
  return { ok: true, minor: sign ? -minor : minor };
}

/** "12.50": the exact decimal string of a minor-unit amount (API output, webhooks). */
export function toDecimalString(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, "0");
  const body = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return negative ? `-${body}` : body;
}

/** "12,50 €" / "€12.50": formatted for the customer's locale, exactly (Intl accepts decimal strings). */
export function formatMoney(minor: bigint, currency: string, locale: string): string {
  const format = numberFormat(locale, { style: "currency", currency });
  return format.format(toDecimalString(minor, currency) as unknown as number);
}
