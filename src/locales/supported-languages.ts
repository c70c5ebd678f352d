/** Languages ordergram ships complete texts for. The shop picks which of them it offers. */
export const supportedLanguages = ["en", "ru", "uk", "hu"] as const;
export type Language = (typeof supportedLanguages)[number];

export const isSupportedLanguage = (code: string): code is Language => (supportedLanguages as readonly string[]).includes(code);

/** Each language's own name for itself, as a customer looks for it on a button. */
export const languageNames: Record<Language, string> = {
  en: "English",
  ru: "Русский",
  uk: "Українська",
  hu: "Magyar",
};

/**
 * The plural forms each language's texts need (i18next keys `<key>_<form>`): exactly the
 * categories Intl.PluralRules knows for the language (test/locales checks they agree).
 */
export const pluralForms = {
  en: ["one", "other"],
  ru: ["one", "few", "many", "other"],
  uk: ["one", "few", "many", "other"],
  hu: ["one", "other"],
} as const satisfies Record<Language, readonly string[]>;

export type PluralForm = (typeof pluralForms)[Language][number];
