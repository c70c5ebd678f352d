/** Languages ordergram ships complete texts for. The shop picks which of them it offers. */
export const supportedLanguages = ["en", "ru"] as const;
export type Language = (typeof supportedLanguages)[number];

export const isSupportedLanguage = (code: string): code is Language =>
  (supportedLanguages as readonly string[]).includes(code);
