import type { en } from "./en/index.js";

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** The shape every locale must have: the same keys as English, any strings. */
export type LocaleResource = Widen<typeof en>;
