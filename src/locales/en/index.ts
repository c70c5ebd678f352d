/**
 * English: the reference locale. Every other locale must have exactly these keys (the type
 * checker and test/locales enforce it). Texts are Telegram HTML; {{placeholders}} are escaped.
 * One file per feature, so each flow's words are found beside each other.
 */
import { common } from "./common.js";
import { handoff } from "./handoff.js";
import { language } from "./language.js";
import { linking } from "./linking.js";
import { notifications } from "./notifications.js";
import { order } from "./order.js";
import { orders } from "./orders.js";
import { returns } from "./returns.js";

export const en = { ...common, order, linking, handoff, notifications, returns, language, orders };
