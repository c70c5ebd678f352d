/**
 * Phones arrive as the shop typed them ("+7 (916) 123-45-67") and as Telegram shares them
 * ("79161234567", no plus). Both normalise to "+" and the digits, so they compare equal.
 * Returns null for something that cannot be a phone number (E.164 has 8 to 15 digits).
 */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/\D/g, "");
  if (digits.length < 8 || digits.length > 15) return null;
  return `+${digits}`;
}
