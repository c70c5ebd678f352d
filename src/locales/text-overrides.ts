import { parseTelegramHtml } from "../shared/telegram-html.js";
import { en } from "./en/index.js";
import { pluralForms, type Language } from "./supported-languages.js";

/**
 * The owner's own wording for any text the bot says (config `texts`, or `textsDir`): checked
 * before a customer could ever see it. A text must name a message that exists, use only the
 * placeholders that message provides, be valid i18next interpolation, and be HTML Telegram accepts.
 */

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = "", out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else flatten(value, `${prefix}${key}.`, out);
  }
  return out;
}

/** Every text key with its English default: the reference for keys and placeholders. */
export const referenceTexts: ReadonlyMap<string, string> = flatten(en);

const placeholderPattern = /\{\{([^{}]*)\}\}/g;
const namePattern = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;

export const placeholdersOf = (text: string): string[] =>
  [...text.matchAll(placeholderPattern)].map((m) => namePattern.exec(m[1] ?? "")?.[1] ?? m[1] ?? "");

/**
 * Placeholders every text may use: the shop's (set by the translator for every text).
 * {{managerName}} is another name for {{assistantName}}, except in the texts about a person who
 * has the chat, where it is that person's name.
 */
export const shopPlaceholders = ["shopName", "assistantName", "managerName"] as const;
/** ...and every text of the order dialog: the order's (flows/confirmation/order-texts.ts). */
export const orderPlaceholders = ["customerName", "orderNumber", "total"] as const;

/**
 * The order dialog's texts said when no order can be named: about an order that is someone
 * else's or gone, a button that no longer means anything, and the method names (labels).
 */
const textsWithoutAnOrder = /^order\.(rejections\.(notYours|notFound|stale)|methods\.)/;

/** Whether a text is said about a known order, so that it may use the order's placeholders. */
export const hasOrderPlaceholders = (key: string): boolean => key.startsWith("order.") && !textsWithoutAnOrder.test(key);

const providedFor = (key: string, reference: string, plural: boolean): Set<string> =>
  new Set([
    ...placeholdersOf(reference),
    ...shopPlaceholders,
    ...(hasOrderPlaceholders(key) ? orderPlaceholders : []),
    // A text that counts something is chosen by `count`, which it may also show.
    ...(plural ? ["count"] : []),
  ]);

const allPluralForms = [...new Set(Object.values(pluralForms).flat())];

/**
 * A text that counts something is a family of forms (`order.shortage.partly_one`, `_few`,
 * `_many`, `_other`), one per plural category of the language: its base key and English's `_other`
 * (the reference for placeholders), or null for an ordinary key.
 */
export function pluralFamily(key: string): { base: string; form: string | null; reference: string } | null {
  const direct = referenceTexts.get(`${key}_other`);
  if (direct !== undefined) return { base: key, form: null, reference: direct };
  const match = /^(.+)_([a-z]+)$/.exec(key);
  const reference = match ? referenceTexts.get(`${match[1]}_other`) : undefined;
  return match && reference !== undefined && (allPluralForms as string[]).includes(match[2]!)
    ? { base: match[1]!, form: match[2]!, reference }
    : null;
}

/** What is wrong with one overriding text, in words an owner understands; empty when nothing is. */
export function checkTextOverride(key: string, text: string, language?: Language): string[] {
  const family = pluralFamily(key);
  const forms: readonly string[] = language ? pluralForms[language] : allPluralForms;
  if (family && family.form === null) {
    return [
      `this text depends on a number: write one text per form${language ? ` of ${language}` : ""}: ${forms.map((f) => `${key}_${f}`).join(", ")}`,
    ];
  }
  if (family && family.form !== null && !forms.includes(family.form)) {
    return [
      `${language ?? "no language"} has no plural form "${family.form}"; its forms are ${forms.map((f) => `${family.base}_${f}`).join(", ")}`,
    ];
  }
  const reference = family?.reference ?? referenceTexts.get(key);
  if (reference === undefined) {
    const near = [...referenceTexts.keys()].filter((k) => editDistance(k, key) <= 3).slice(0, 3);
    return [`there is no text "${key}"${near.length ? ` (did you mean ${near.join(", ")}?)` : ""}`];
  }
  const problems: string[] = [];
  const opens = text.split("{{").length - 1;
  const closes = text.split("}}").length - 1;
  const broken = [...text.matchAll(placeholderPattern)].filter((m) => !namePattern.test(m[1] ?? "")).map((m) => m[0]);
  if (opens !== closes || broken.length) {
    problems.push(
      `broken placeholder syntax${broken.length ? `: ${broken.join(", ")}` : " (unbalanced {{ }})"}; write placeholders as {{name}}`,
    );
  }
  const provided = providedFor(key, reference, family !== null);
  const unknown = [...new Set(placeholdersOf(text))].filter((name) => namePattern.test(name) && !provided.has(name));
  if (unknown.length) {
    const offer = provided.size ? `it provides ${[...provided].map((p) => `{{${p}}}`).join(", ")}` : "it provides no placeholders";
    problems.push(`uses ${unknown.map((p) => `{{${p}}}`).join(", ")}, which this message does not provide (${offer})`);
  }
  // Check the HTML as Telegram will see it: with the placeholders filled in (values are escaped).
  const html = parseTelegramHtml(text.replace(placeholderPattern, "x"), () => undefined);
  if (!html.ok) problems.push(`Telegram would refuse this HTML: ${html.error}`);
  return problems;
}

/** Flat "order.question" keys to the nested shape i18next keeps its resources in. */
export function nestTexts(flat: Record<string, string>): Tree {
  const tree: Tree = {};
  for (const [key, text] of Object.entries(flat)) {
    const parts = key.split(".");
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Tree;
    node[parts.at(-1)!] = text;
  }
  return tree;
}

/** Levenshtein distance, for "did you mean" on a misspelt key. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
