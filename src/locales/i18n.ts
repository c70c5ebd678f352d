import i18next, { type TFunction } from "i18next";
import { en } from "./en/index.js";
import { ru } from "./ru/index.js";
import { isSupportedLanguage, type Language } from "./supported-languages.js";

export const locales: Record<Language, typeof en> = { en, ru };

/** Telegram HTML needs only these four escaped; customer names and items are interpolated. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export type Translate = TFunction;

export interface Translator {
  /** A translation function fixed to one language. */
  forLanguage(language: Language): Translate;
}

/** One i18next instance per app (not the global one), so several apps can live in one process. */
export async function createTranslator(fallbackLanguage: Language): Promise<Translator> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: Object.fromEntries(Object.entries(locales).map(([lng, res]) => [lng, { translation: res }])),
    fallbackLng: fallbackLanguage,
    supportedLngs: Object.keys(locales),
    interpolation: { escapeValue: true, escape: escapeHtml },
    returnNull: false,
    initAsync: false,
  });
  return { forLanguage: (language) => instance.getFixedT(language) };
}

/**
 * The language to speak with a customer: the one they or the order chose, else Telegram's
 * language_code (its primary subtag: "ru-RU" → "ru"), else the shop's default; always one the
 * shop offers.
 */
export function resolveLanguage(
  candidates: Array<string | null | undefined>,
  shop: { languages: readonly Language[]; defaultLanguage: Language },
): Language {
  for (const candidate of candidates) {
    const primary = candidate?.toLowerCase().split(/[-_]/)[0];
    if (primary && isSupportedLanguage(primary) && shop.languages.includes(primary)) return primary;
  }
  return shop.defaultLanguage;
}
