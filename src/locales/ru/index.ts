import type { LocaleResource } from "../locale-resource.js";

import { common } from "./common.js";
import { linking } from "./linking.js";
import { order } from "./order.js";

export const ru: LocaleResource = { ...common, order, linking };
