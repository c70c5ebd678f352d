import { isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * Phones arrive as the shop typed them ("+7 (916) 123-45-67", or nationally "8 916 123-45-67")
 * and as Telegram shares them ("79161234567", no plus). All become E.164 ("+79161234567"), so
 * one number compares equal however it was written. `country` (the shop's, ISO 3166-1 alpha-2)
 * is the region a national number belongs to; without it only international numbers parse.
 * Returns null for something that is not a valid phone number.
 */
export function parsePhone(raw: string, country: string | null): string | null {
  const text = raw.trim().replace(/^00/, "+");
  const region = country !== null && isSupportedCountry(country) ? country : undefined;
  const parsed = text.startsWith("+") ? parsePhoneNumberFromString(text) : region ? parsePhoneNumberFromString(text, region) : undefined;
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * A number Telegram shared (contact button): international, with or without the plus. A number
 * that is not valid that way is read as a national one of `country`, as a shop's would be.
 */
export function parseSharedPhone(raw: string, country: string | null): string | null {
  const digits = raw.replace(/\D/g, "");
  return parsePhone(`+${digits}`, null) ?? parsePhone(raw, country);
}

/** True for a phone already stored in E.164 that is a valid number. */
export function isValidE164(phone: string): boolean {
  return parsePhone(phone, null) === phone;
}

/**
 * A phone stored before the shop's country was known (the digits of what the shop typed, with a
 * "+"): its E.164 form when read as a national number of `country`, or null when it stays as is.
 */
export function reparseStoredPhone(stored: string, country: string): string | null {
  if (isValidE164(stored)) return null;
  const fixed = parsePhone(stored.replace(/^\+/, ""), country);
  return fixed !== null && fixed !== stored ? fixed : null;
}
