import { z } from "@hono/zod-openapi";
import { apiId, apiText, noControlCharacters } from "../api-text.js";
import { isKnownCurrency, parseMoney } from "../../domain/money.js";
import { orderLimits, type OrderLine } from "../../domain/order.js";

/**
 * The shop's order payload. Strict objects: a misspelt field is a 400 naming it, not silently
 * dropped. Money is exact: integer minor units (1250) or a decimal string ("12.50"), never a float.
 */
const moneySchema = z
  .union([z.int(), z.string().max(20)])
  .openapi({ description: 'Integer minor units (1250 = 12.50) or a decimal string in major units ("12.50").', example: "12.50" });

/** The `{id}` in an order's path: ordergram's own order id. */
export const orderIdParams = z.object({ id: apiId() });

export const phoneProblem = "a valid phone number: international (+49 170 1234567), or national when the config sets shop.country";
const looksLikePhone = (p: string): boolean => /^[+\d\s().-]+$/.test(p) && (p.match(/\d/g)?.length ?? 0) >= 5;

const text = (max: number) => apiText(max);

const substituteSchema = z.strictObject({ sku: text(64), name: text(200), unitPrice: moneySchema });

const itemSchema = z.strictObject({
  sku: text(64),
  name: text(200),
  quantity: z.int().min(1).max(orderLimits.maxQuantity),
  unitPrice: moneySchema,
  available: z.int().min(0).max(1_000_000).optional().openapi({ description: "Quantity in stock; defaults to quantity." }),
  substitutes: z.array(substituteSchema).max(10).optional(),
  returnable: z
    .boolean()
    .optional()
    .openapi({ description: "false: the item cannot be returned (not offered in the chat's return form). Default true." }),
});

export const orderInputSchema = z
  .strictObject({
    externalId: text(64).openapi({ description: "The shop's own order id; the request is idempotent on it.", example: "A-1001" }),
    customer: z.strictObject({
      name: text(100),
      phone: z
        .string()
        .max(32)
        // The shape only; whether it is a real number depends on shop.country (checked by the route).
        .refine(looksLikePhone, { error: phoneProblem })
        .optional()
        .openapi({
          description: "International (+7 916 123-45-67), or national when the config sets shop.country.",
          example: "+49 170 5555555",
        }),
      telegramUserId: z.int().positive().optional().openapi({ description: "Known Telegram user id: the bot writes first." }),
      language: z
        .string()
        .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'a language tag such as "en" or "ru-RU"' })
        .optional(),
    }),
    currency: z.string().refine(isKnownCurrency, { error: "an ISO 4217 currency code such as EUR" }).openapi({ example: "EUR" }),
    items: z.array(itemSchema).min(1).max(100),
    delivery: z
      .strictObject({
        method: text(64).optional().openapi({ description: "courier, pickup, post, or the shop's own name for it." }),
        address: noControlCharacters(z.string().trim().min(orderLimits.minAddressLength).max(orderLimits.maxAddressLength)).optional(),
        date: z.iso.date().optional().openapi({ description: "Local date in the shop's time zone.", example: "2026-11-25" }),
        window: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { error: 'a time window such as "10:00-14:00"', abort: true })
          // "HH:MM" strings compare as times: a window ends after it starts, on the same day.
          .refine((w) => w.slice(0, 5) < w.slice(6), { error: 'a window that ends after it starts, such as "10:00-14:00"' })
          .optional(),
        pointId: noControlCharacters(z.string().max(24))
          .optional()
          .openapi({ description: "A pickup point id from the shop's config (method pickup)." }),
        price: moneySchema.optional().openapi({ description: "What delivery costs; without it ordergram prices it from the config." }),
        fixed: z.boolean().optional().openapi({ description: "true: the delivery is read back but not offered for change." }),
      })
      .optional(),
    comment: noControlCharacters(z.string().trim().max(orderLimits.maxCommentLength), { multiline: true }).optional(),
  })
  // The amounts are exact only in the order's currency (JPY has no decimals, KWD three). Checked
  // even when other fields are wrong (`when`), so one 400 lists every bad field.
  .superRefine(
    (input, ctx) => {
      for (const { path, message } of amountProblems(input)) ctx.addIssue({ code: "custom", path, message });
    },
    { when: (payload: { value: unknown }) => isKnownCurrency(String((payload.value as RawOrder | null)?.currency)) },
  )
  .openapi("OrderInput");

/** The order as it came, before (or despite) the rest of the checks: every part may be missing. */
type RawOrder = {
  currency?: unknown;
  items?: Array<{ unitPrice?: unknown; substitutes?: Array<{ unitPrice?: unknown } | null> } | null>;
  delivery?: { price?: unknown } | null;
};

/** The amounts of an order that are not exact in its currency, or negative, with their paths. */
function amountProblems(raw: RawOrder): Array<{ path: Array<string | number>; message: string }> {
  const currency = String(raw.currency);
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  const check = (value: unknown, path: Array<string | number>) => {
    const amount = moneySchema.safeParse(value);
    if (!amount.success) return; // not an amount at all: the type check reports it
    const parsed = parseMoney(amount.data, currency);
    if (!parsed.ok) problems.push({ path, message: parsed.reason });
    else if (parsed.minor < 0n) problems.push({ path, message: "must not be negative" });
    else if (parsed.minor > orderLimits.maxAmountMinor)
      problems.push({ path, message: `must be at most ${orderLimits.maxAmountMinor} minor units` });
  };
  (Array.isArray(raw.items) ? raw.items : []).forEach((item, i) => {
    check(item?.unitPrice, ["items", i, "unitPrice"]);
    (Array.isArray(item?.substitutes) ? item.substitutes : []).forEach((substitute, j) =>
      check(substitute?.unitPrice, ["items", i, "substitutes", j, "unitPrice"]),
    );
  });
  check(raw.delivery?.price, ["delivery", "price"]);
  return problems;
}

export type OrderInput = z.infer<typeof orderInputSchema>;

/** Reads every amount in the currency of the order (the schema has checked they are exact). */
export function orderLinesFrom(input: OrderInput): {
  lines: OrderLine[];
  deliveryPriceMinor: bigint | null;
} {
  const money = (value: number | string, path: string): bigint => {
    const parsed = parseMoney(value, input.currency);
    if (!parsed.ok) throw new Error(`${path}: ${parsed.reason} (the order schema should have refused it)`);
    return parsed.minor;
  };
  const lines = input.items.map((item, position) => ({
    position,
    sku: item.sku,
    name: item.name,
    quantity: item.quantity,
    unitPriceMinor: money(item.unitPrice, `items.${position}.unitPrice`),
    available: item.available ?? null,
    substitutes: (item.substitutes ?? []).map((s, i) => ({
      sku: s.sku,
      name: s.name,
      unitPriceMinor: money(s.unitPrice, `items.${position}.substitutes.${i}.unitPrice`),
    })),
    ...(item.returnable === false ? { returnable: false } : {}),
  }));
  const deliveryPriceMinor = input.delivery?.price === undefined ? null : money(input.delivery.price, "delivery.price");
  return { lines, deliveryPriceMinor };
}

const historySchema = z.object({ at: z.string(), type: z.string(), actor: z.string(), data: z.unknown() });

export const orderViewSchema = z
  .object({
    id: z.string(),
    externalId: z.string(),
    state: z.enum(["awaiting_customer", "confirmed", "cancelled"]),
    currency: z.string(),
    customer: z.object({ name: z.string(), phone: z.string().nullable(), language: z.string().nullable(), telegramLinked: z.boolean() }),
    items: z.array(
      z.object({
        position: z.int(),
        sku: z.string(),
        name: z.string(),
        quantity: z.int(),
        unitPrice: z.string(),
        lineTotal: z.string(),
        available: z.int().nullable().openapi({ description: "In stock, as the shop said; null: not said." }),
        substitutes: z.array(z.object({ sku: z.string(), name: z.string(), unitPrice: z.string() })),
      }),
    ),
    itemsTotal: z.string().openapi({ example: "21.90" }),
    total: z.string().openapi({ description: "Items plus delivery.", example: "26.80" }),
    delivery: z
      .object({
        method: z.string().nullable(),
        address: z.string().nullable(),
        date: z.string().nullable(),
        window: z.string().nullable(),
        pointId: z.string().nullable(),
        zone: z.string().nullable(),
        price: z.string().nullable().openapi({ description: "null: not known (the shop's own method, or another currency)." }),
        fixed: z.boolean(),
      })
      .nullable(),
    comment: z.string().nullable(),
    dialog: z.object({ step: z.string(), owner: z.string(), version: z.int() }),
    hold: z
      .object({ reason: z.string(), by: z.string(), at: z.string() })
      .nullable()
      .openapi({ description: "Set while a manager has put the order on hold (/hold in the managers' group)." }),
    startLink: z
      .string()
      .nullable()
      .openapi({ description: "t.me link that opens the order in the bot.", example: "https://t.me/demo_shop_bot?start=Vb3k…" }),
    reach: z
      .object({
        unreachedNotices: z
          .int()
          .openapi({ description: "How many order.unreached webhooks told the shop the customer has not opened the chat." }),
        givenUpAt: z.string().nullable().openapi({
          description: "When the bot stopped waiting for the customer (linking.giveUpAfterHours) and marked the order for a person.",
        }),
      })
      .openapi({ description: "Reaching a customer who has not opened the chat with the bot yet." }),
    createdAt: z.string(),
    updatedAt: z.string(),
    history: z.array(historySchema).optional(),
  })
  .openapi("Order");

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");
