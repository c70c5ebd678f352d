import { z } from "zod";
import { supportedLanguages } from "../locales/supported-languages.js";

/**
 * Returns in the chat (config key `returns`): the window, the reasons offered and which call for
 * photos, what the customer may ask for (refund, exchange, store credit), and where photos are
 * kept. ordergram.config.example.yaml documents each key.
 */

const language = z.enum(supportedLanguages, { error: () => `one of: ${supportedLanguages.join(", ")}` });
const code = z.string().regex(/^[a-z0-9_]{1,24}$/, { error: "1-24 characters of a-z, 0-9 and _" });
/** A button's text per language; languages without one show the English label, else the code. */
const label = z.partialRecord(language, z.string().trim().min(1).max(40));

/** Reasons ordergram has texts for in every language. */
export const builtInReturnReasons = ["wrong_size", "damaged", "wrong_item", "not_as_described", "changed_mind", "other"] as const;

const reasonSchema = z.union([
  z.enum(builtInReturnReasons, {
    error: () => `a built-in reason (${builtInReturnReasons.join(", ")}) or { code, label: { <language>: text } }`,
  }),
  z.strictObject({ code, label }),
]);

export type ReturnReasonSetting = z.infer<typeof reasonSchema>;
export const reasonCode = (reason: ReturnReasonSetting): string => (typeof reason === "string" ? reason : reason.code);

const photosSchema = z.strictObject({
  /** Reasons (codes) for which the customer is asked for photos: at least one, up to `max`. */
  requiredFor: z.array(code).default(["damaged", "wrong_item", "not_as_described"]),
  /** The most photos one request takes. */
  max: z.int().min(1).max(10).default(5),
  /** Download each photo from Telegram and keep it in `directory` (else fetched from Telegram when the shop asks). */
  keep: z.boolean().default(true),
  /** Where kept photos go (one folder per request), relative to the working directory. */
  directory: z.string().trim().min(1).default("./data/returns"),
  /**
   * The base URL at which your shop system reaches ordergram's API, for the photo links in the
   * return.requested webhook (e.g. "https://ordergram.example.com"); null: telegram.publicUrl, and
   * without either the webhook carries the links' paths only.
   */
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
});

const workingDays = z.int().min(1).max(90).nullable().default(null);
const estimatesSchema = z.strictObject({
  /** From the request to the shop's answer (told when the request is sent). */
  answer: workingDays,
  /** From the items' arrival to the decision (told with "received"). */
  processing: workingDays,
  /** From the refund to the money on the customer's account (told with "refunded"). */
  refund: workingDays,
  /** From the exchange to the new item's arrival (told with "exchanged"). */
  exchange: workingDays,
});
export type ReturnEstimates = z.infer<typeof estimatesSchema>;

export const returnsConfigSchema = z
  .strictObject({
    /** Customers may ask for returns in the chat (/return, the button after delivery). */
    enabled: z.boolean().default(true),
    /** Days from delivery during which a return may be asked for. */
    windowDays: z.int().min(1).max(365).default(14),
    /** How many recent delivered orders /return offers. */
    recentOrders: z.int().min(1).max(10).default(5),
    /** Reasons offered, in this order. */
    reasons: z
      .array(reasonSchema)
      .min(1)
      .max(12)
      .default([...builtInReturnReasons]),
    photos: photosSchema.default(() => photosSchema.parse({})),
    /** What the customer may ask for instead of the item, in this order. */
    resolutions: z
      .array(z.enum(["refund", "exchange", "store_credit"]))
      .min(1)
      .default(["refund", "exchange", "store_credit"]),
    /** For an exchange: options the customer picks from (e.g. another size); empty: they type what they want. */
    exchangeOptions: z.array(z.strictObject({ code, label })).max(12).default([]),
    /**
     * Rule 10 (docs/rules-of-the-trade.md), progress with an estimated time: how many working days the next step usually
     * takes, told with each step; null: not said (the bot never quotes a time the shop did not give).
     */
    estimates: estimatesSchema.default(() => estimatesSchema.parse({})),
  })
  .superRefine((returns, ctx) => {
    const codes = returns.reasons.map(reasonCode);
    returns.photos.requiredFor.forEach((wanted, index) => {
      if (!codes.includes(wanted))
        ctx.addIssue({
          code: "custom",
          path: ["photos", "requiredFor", index],
          message: `not one of returns.reasons (${codes.join(", ")})`,
        });
    });
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: "custom", path: ["reasons"], message: "a reason is listed twice" });
    if (new Set(returns.resolutions).size !== returns.resolutions.length)
      ctx.addIssue({ code: "custom", path: ["resolutions"], message: "a resolution is listed twice" });
  });

export type ReturnsConfig = z.infer<typeof returnsConfigSchema>;
