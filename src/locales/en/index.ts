/**
 * English: the reference locale. Every other locale must have exactly these keys (the type
 * checker and test/locales enforce it). Texts are Telegram HTML; {{placeholders}} are escaped.
 * One file per feature, so each flow's words are found beside each other.
 */
import { common } from "./common.js";
import { linking } from "./linking.js";
import { order } from "./order.js";

export const en = { ...common, order, linking };
