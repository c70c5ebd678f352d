import { describe, expect, it } from "vitest";
import { isValidE164, parsePhone, parseSharedPhone, reparseStoredPhone } from "../../src/domain/phone.js";

describe("phone numbers", () => {
  it("should read a Russian national number with the shop's country as the international one", () => {
    expect(parsePhone("8 916 123-45-67", "RU")).toBe("+79161234567");
    expect(parsePhone("+7 916 123 45 67", "RU")).toBe("+79161234567");
    expect(parsePhone("+7 (916) 123-45-67", null)).toBe("+79161234567");
  });

  it("should read a German national number with DE", () => {
    expect(parsePhone("0170 5555555", "DE")).toBe("+491705555555");
    expect(parsePhone("0049 170 5555555", null)).toBe("+491705555555");
  });

  it("should refuse a national number without a country, and what is no phone number at all", () => {
    expect(parsePhone("0170 5555555", null)).toBeNull();
    expect(parsePhone("8 916 123-45-67", null)).toBeNull();
    expect(parsePhone("12", "RU")).toBeNull();
    expect(parsePhone("+7 000", "RU")).toBeNull();
  });

  it("should read Telegram's shared contact (no plus) as international, whatever the shop's country", () => {
    expect(parseSharedPhone("79161234567", "DE")).toBe("+79161234567");
    expect(parseSharedPhone("+491705555555", "RU")).toBe("+491705555555");
    expect(parseSharedPhone("79161234567", null)).toBe("+79161234567");
  });

  it("should re-read a phone stored as digits once the country is known, and leave valid ones", () => {
    expect(reparseStoredPhone("+89161234567", "RU")).toBe("+79161234567");
    expect(reparseStoredPhone("+01705555555", "DE")).toBe("+491705555555");
    expect(reparseStoredPhone("+79161234567", "DE")).toBeNull();
    expect(reparseStoredPhone("+123", "DE")).toBeNull();
    expect(isValidE164("+79161234567")).toBe(true);
    expect(isValidE164("+89161234567")).toBe(false);
  });
});
