import type { en } from "./en/index.js";
import type { Language, pluralForms } from "./supported-languages.js";

/**
 * English's keys, any strings; a text that counts something is a plural family in English
 * (`key_one`, `key_other`) and has exactly the forms of language F in a locale of that language
 * (Russian: `key_one`, `key_few`, `key_many`, `key_other`).
 */
type Widen<T, F extends string> = {
  [K in keyof T as K extends `${string}_one` ? never : K extends `${infer Base}_other` ? `${Base}_${F}` : K]: T[K] extends string
    ? string
    : Widen<T[K], F>;
};

/** The shape a locale of `language` must have: the same keys as English, its own plural forms. */
export type LocaleResource<L extends Language> = Widen<typeof en, (typeof pluralForms)[L][number]>;
