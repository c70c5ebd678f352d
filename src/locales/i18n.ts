import i18next, { type TFunction } from "i18next";
import { en } from "./en/index.js";
import { hu } from "./hu/index.js";
import type { LocaleResource } from "./locale-resource.js";
import { ru } from "./ru/index.js";
import { uk } from "./uk/index.js";
import { isSupportedLanguage, type Language } from "./supported-languages.js";
import { nestTexts } from "./text-overrides.js";

export const locales: { [L in Language]: L extends "en" ? typeof en : LocaleResource<L> } = { en, ru, uk, hu };

/** Telegram HTML needs only these four escaped; customer names and items are interpolated. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export type Translate = TFunction;

export interface Translator {
  /**
   * A translation function fixed to one language; {{shopName}} and {{assistantName}} (also
   * {{managerName}}) work in every text, with the assistant's name in that language.
   */
  forLanguage(language: Language): Translate;
  /** Puts the owner's wording and shop in force (after a config reload); checked texts only. */
  setTexts(texts: OwnerTexts, shop: TranslatorShop): Promise<void>;
}

/** How the bot introduces itself: one name for every language, or one per language. */
export type AssistantName = string | Partial<Record<Language, string>>;

/** What every text may mention: the shop's name and how its assistant is called. */
export interface TranslatorShop {
  name: string;
  assistantName?: AssistantName | undefined;
  defaultLanguage: Language;
}

/** The assistant's name in one language; undefined when the shop gave none for it (the default text then). */
export const assistantNameIn = (name: AssistantName | undefined, language: Language): string | undefined =>
  typeof name === "string" ? name : name?.[language];

/** The owner's wording: per language, flat text keys ("order.question") and texts. */
export type OwnerTexts = Partial<Record<Language, Record<string, string>>>;

async function buildInstance(texts: OwnerTexts, fallbackLanguage: Language) {
  const instance = i18next.createInstance();
  await instance.init({
    // A copy: i18next merges the owner's texts into the resources it holds, and the shipped
    // locales must stay as shipped (for the next reload, and for other apps in this process).
    resources: Object.fromEntries(Object.entries(locales).map(([lng, res]) => [lng, { translation: structuredClone(res) }])),
    fallbackLng: fallbackLanguage,
    supportedLngs: Object.keys(locales),
    interpolation: { escapeValue: true, escape: escapeHtml },
    returnNull: false,
    initAsync: false,
  });
  for (const [language, entries] of Object.entries(texts)) {
    if (entries) instance.addResourceBundle(language, "translation", nestTexts(entries), true, true);
  }
  return instance;
}

/**
 * One i18next instance per app (not the global one), so several apps can live in one process;
 * replaced whole when the owner's wording changes, so a text is never half-updated.
 */
export async function createTranslator(shop: TranslatorShop, texts: OwnerTexts = {}): Promise<Translator> {
  // Per language, the translation function is made once (until the texts change): every update
  // asks for one.
  const made = (instance: Awaited<ReturnType<typeof buildInstance>>, of: TranslatorShop) => ({
    instance,
    shop: of,
    byLanguage: new Map<Language, Translate>(),
  });
  let current = made(await buildInstance(texts, shop.defaultLanguage), shop);
  return {
    forLanguage: (language) => {
      const known = current.byLanguage.get(language);
      if (known) return known;
      const { instance, shop: now } = current;
      const t = instance.getFixedT(language);
      // A name a caller passes wins; a per-language setting (a caller may hand over the shop's
      // whole `assistantName`) is read in this language, and a language without one says the
      // language's default ("your order assistant").
      const shopAssistantName = assistantNameIn(now.assistantName, language) ?? t("defaults.assistantName");
      const assistantNameFrom = (given: unknown): string => {
        if (typeof given === "string") return given;
        if (given === null || typeof given !== "object") return shopAssistantName;
        return assistantNameIn(given, language) ?? t("defaults.assistantName");
      };
      // The texts' own variables win; the shop's are there for any text an owner writes.
      // {{managerName}} is another name for the assistant's, except in the texts about a person
      // who has the chat, which pass that person's name.
      const translate = ((key: string, options?: Record<string, unknown>) => {
        const assistantName = assistantNameFrom(options?.assistantName);
        return t(key, { shopName: now.name, managerName: assistantName, ...options, assistantName });
      }) as unknown as Translate;
      current.byLanguage.set(language, translate);
      return translate;
    },
    setTexts: async (next, nextShop) => {
      current = made(await buildInstance(next, nextShop.defaultLanguage), nextShop);
    },
  };
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
