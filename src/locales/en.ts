/**
 * English: the reference locale. Every other locale must have exactly these keys (the type
 * checker and test/locales enforce it). Texts are Telegram HTML; {{placeholders}} are escaped.
 */
export const en = {
  start: {
    welcome:
      "Hello, {{customerName}}! This is {{shopName}}, {{assistantName}}. I will read your order back to you, agree the delivery and keep you posted until it arrives.",
    welcomeAnonymous:
      "Hello! This is {{shopName}}, {{assistantName}}. I will read your orders back to you, agree the delivery and keep you posted until they arrive.",
  },
  fallback: {
    notUnderstood:
      "Sorry, I did not understand that. Please use the buttons under my last message, or write /help.",
  },
  errors: {
    internal: "Sorry, something went wrong on our side. We have been told and will sort it out.",
  },
  defaults: {
    assistantName: "your order assistant",
  },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every locale must have: the same keys as English, any strings. */
export type LocaleResource = Widen<typeof en>;
