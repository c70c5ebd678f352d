import { formatMoney } from "../../domain/money.js";
import { orderTotal, type Order } from "../../domain/order.js";
import type { Translate } from "../../locales/i18n.js";
import type { Language } from "../../locales/supported-languages.js";

/**
 * What every text about an order may mention, whether the default uses it or not: an owner may
 * write "{{customerName}}, ..." into any of the order dialog's texts (locales/text-overrides.ts
 * checks which). Plain strings, so they can travel in a form's stored arguments.
 */
export interface OrderTextVariables {
  customerName: string;
  orderNumber: string;
  total: string;
}

export const orderTextVariables = (order: Order, language: Language): OrderTextVariables => ({
  customerName: order.customer.name,
  orderNumber: order.externalId,
  total: formatMoney(orderTotal(order), order.currency, language),
});

/** `t` with the order's variables filled in; a text's own variables win. */
export const withOrderVariables = (t: Translate, variables: OrderTextVariables | undefined): Translate =>
  variables === undefined
    ? t
    : (((key: string, options?: Record<string, unknown>) => t(key, { ...variables, ...options })) as unknown as Translate);
