import { describe, expect, it } from "vitest";
import { clipText, fitHtml, fitValues, splitUnder, visibleLength } from "../../src/shared/telegram-limits.js";
import { parseTelegramHtml, telegramHtmlToPlainText } from "../../src/shared/telegram-html.js";

const escape = (text: string) => text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
const parses = (html: string) => parseTelegramHtml(html, () => undefined).ok;

describe("fitting composed texts into Telegram's limits", () => {
  it("should cut plain text with an ellipsis, never between the halves of an emoji", () => {
    expect(clipText("short", 10)).toBe("short");
    expect(clipText("abcdefghij", 5)).toBe("abcd…");
    const clipped = clipText("abc😀def", 5);
    expect(clipped).toBe("abc…");
    expect(clipped.length).toBeLessThanOrEqual(5);
  });

  it("should shorten the longest value first and keep every tag and entity whole", () => {
    const render = (v: { name: string; note: string }) => `<b>${escape(v.name)}</b>: ${escape(v.note)}`;
    const text = fitValues(render, { name: "Anna & Co", note: "<&> ".repeat(300) }, 100);
    expect(visibleLength(text)).toBeLessThanOrEqual(100);
    expect(parses(text)).toBe(true);
    expect(telegramHtmlToPlainText(text)).toMatch(/^Anna & Co: <&> .*…$/);
  });

  it("should keep the whole lines that fit and say the rest was left out", () => {
    const html = ["<b>Title</b>", "a".repeat(50), "<i>", "b".repeat(50), "</i>", "c".repeat(50)].join("\n");
    const fitted = fitHtml(html, 80);
    expect(fitted).toBe(`<b>Title</b>\n${"a".repeat(50)}\n…`);
    expect(fitHtml("<b>fits</b>", 80)).toBe("<b>fits</b>");
  });

  it("should split a long text under a heading over as many messages as it takes, losing nothing", () => {
    const text = Array.from({ length: 400 }, (_, i) => `word${i} & more`).join(" ");
    const parts = splitUnder((part) => `<b>Anna</b>: ${escape(part)}`, text, 1000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(visibleLength(part)).toBeLessThanOrEqual(1000);
    expect(parts[0]).toMatch(/^<b>Anna<\/b>: word0 &amp; more/);
    expect(parts.map(telegramHtmlToPlainText).join(" ")).toBe(`Anna: ${text}`);
  });
});
