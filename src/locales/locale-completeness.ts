import { parseTelegramHtml } from "../shared/telegram-html.js";
import type { Language } from "./supported-languages.js";

/**
 * Whether a locale says everything English says: every key (a text that counts something in
 * exactly the plural forms Intl.PluralRules lists for the language), the same placeholders as
 * English, and HTML Telegram accepts. Used by test/locales; returns the problems, one per line.
 */

type Tree = { [key: string]: string | Tree };

export function flattenTexts(tree: Tree, prefix = "", out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else flattenTexts(value, `${prefix}${key}.`, out);
  }
  return out;
}

const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]!))].sort();

/** The plural categories a language needs texts for ("one", "few", "many", "other" in Russian). */
export const pluralCategoriesOf = (language: string): string[] => [...new Intl.PluralRules(language).resolvedOptions().pluralCategories];

export function localeProblems(reference: object, resource: object, language: Language): string[] {
  const english = flattenTexts(reference as Tree);
  const texts = flattenTexts(resource as Tree);
  const categories = pluralCategoriesOf(language);
  // key in this locale -> the English text it must match (a plural form matches English's _other).
  const expected = new Map<string, string>();
  for (const [key, text] of english) {
    const base = /^(.+)_other$/.exec(key)?.[1];
    if (base !== undefined) for (const category of categories) expected.set(`${base}_${category}`, text);
    else if (!(/_one$/.test(key) && english.has(key.replace(/_one$/, "_other")))) expected.set(key, text);
  }
  const problems: string[] = [];
  for (const [key, englishText] of expected) {
    const text = texts.get(key);
    if (text === undefined) {
      problems.push(`${language}: missing ${key}`);
      continue;
    }
    const want = placeholders(englishText).join(", ");
    const got = placeholders(text).join(", ");
    if (want !== got) problems.push(`${language}: ${key} has placeholders [${got}], English has [${want}]`);
    const html = parseTelegramHtml(text.replace(/\{\{[^{}]*\}\}/g, "x"), () => undefined);
    if (!html.ok) problems.push(`${language}: ${key} is HTML Telegram refuses: ${html.error}`);
  }
  for (const key of texts.keys())
    if (!expected.has(key))
      problems.push(`${language}: unexpected ${key} (not a key of English, or a plural form ${language} does not have)`);
  return problems;
}
