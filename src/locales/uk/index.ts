import type { LocaleResource } from "../locale-resource.js";

import { common } from "./common.js";
import { handoff } from "./handoff.js";
import { language } from "./language.js";
import { linking } from "./linking.js";
import { notifications } from "./notifications.js";
import { order } from "./order.js";
import { orders } from "./orders.js";
import { returns } from "./returns.js";

export const uk: LocaleResource<"uk"> = { ...common, order, linking, handoff, notifications, returns, language, orders };
