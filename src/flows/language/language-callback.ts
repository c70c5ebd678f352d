import type { InlineKeyboardButton } from "grammy/types";
import { isSupportedLanguage, languageNames, type Language } from "../../locales/supported-languages.js";

/** The language buttons: "og:lg:<code>" ("og:lg:hu"). The server checks the shop still offers it. */
const prefix = "og:lg:";

export const packLanguageChoice = (language: Language): string => prefix + language;

export function parseLanguageChoice(data: string): Language | null {
  if (!data.startsWith(prefix)) return null;
  const code = data.slice(prefix.length);
  return isSupportedLanguage(code) ? code : null;
}

export const languageChoicePattern = /^og:lg:/;

/** One button per language the shop offers, each in its own name; the one in use is ticked. */
export function languageRows(offered: readonly Language[], current: Language): InlineKeyboardButton[][] {
  const buttons = offered.map((language) => ({
    text: language === current ? `✓ ${languageNames[language]}` : languageNames[language],
    callback_data: packLanguageChoice(language),
  }));
  // Up to three fit in one row on a phone; more go two by two.
  const perRow = buttons.length <= 3 ? 3 : 2;
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}
