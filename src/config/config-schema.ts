import { isSupportedCountry } from "libphonenumber-js/max";
import { z } from "zod";
import { supportedLanguages } from "../locales/supported-languages.js";
import { managersConfigSchema } from "./managers-config.js";
import { notificationsConfigSchema } from "./notifications-config.js";
import { returnsConfigSchema } from "./returns-config.js";
import { amountProblems, deliveryConfigSchema, substitutesConfigSchema } from "./delivery-config.js";
import { textsConfigSchema } from "./texts-config.js";
import { commandsConfigSchema } from "./commands-config.js";
import { linkingConfigSchema } from "./linking-config.js";

/**
 * The owner's configuration file (ordergram.config.yaml). Every object is strict: an unknown key
 * is an error, because a misspelt key silently ignored is a setting the owner thinks they made.
 * Defaults here are the product's defaults; ordergram.config.example.yaml documents each key.
 */

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const language = z.enum(supportedLanguages, {
  error: () => `one of the languages ordergram ships: ${supportedLanguages.join(", ")}`,
});

const assistantNameText = z.string().trim().min(1).max(100);

const shopSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    /** IANA time zone of the shop: contact hours and dates the customer sees are in it. */
    timeZone: z.string().refine(isTimeZone, { error: "an IANA time zone such as Europe/Berlin" }).default("UTC"),
    defaultLanguage: language.default("en"),
    /**
     * ISO 3166-1 alpha-2 code of the shop's country (RU, DE, HU, UA): phones written nationally
     * ("8 916 123-45-67", "0170 5555555") are read as numbers of this country. Without it only
     * international numbers ("+7 916 ...") are accepted.
     */
    country: z
      .string()
      .refine((code) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code), {
        error: "an ISO 3166-1 alpha-2 country code such as RU or DE",
      })
      .nullable()
      .default(null),
    /** Languages the shop speaks with customers; others fall back to defaultLanguage. */
    languages: z.array(language).min(1).optional(),
    /**
     * Who the bot introduces itself as: one name for every language ("Anna"), or one per language
     * ({ en: "manager Anna", uk: "менеджерка Анна" }); a language without one says the default
     * ("your order assistant", in that language). {{assistantName}} (or {{managerName}}) in texts.
     */
    assistantName: z
      .union([assistantNameText, z.partialRecord(language, assistantNameText)], {
        error: (issue) =>
          issue.code === "invalid_union"
            ? 'a name ("manager Anna") or one per language ({ en: "manager Anna", uk: "менеджерка Анна" })'
            : undefined,
      })
      .optional(),
  })
  .transform((shop, ctx) => {
    const languages = shop.languages ?? [shop.defaultLanguage];
    if (!languages.includes(shop.defaultLanguage)) {
      ctx.addIssue({
        code: "custom",
        path: ["defaultLanguage"],
        message: `must be one of shop.languages (${languages.join(", ")})`,
      });
    }
    return { ...shop, languages };
  });

const rateLimitsSchema = z.strictObject({
  /** Telegram allows about one message a second per chat, with short bursts. */
  perChatPerSecond: z.number().positive().max(30).default(1),
  /** ... 20 messages a minute per group, all forum topics together. */
  perGroupPerMinute: z.number().int().positive().max(60).default(20),
  /** ... and about 30 messages a second across all chats. */
  globalPerSecond: z.number().int().positive().max(1000).default(30),
});

const telegramSchema = z.strictObject({
  /**
   * The public https base URL at which Telegram can reach this server. When set, ordergram
   * registers <publicUrl>/telegram/webhook with Telegram; when null it uses long polling.
   */
  publicUrl: z
    .url({ protocol: /^https?$/, error: "an http(s) URL such as https://shop.example.com" })
    .nullable()
    .default(null),
  rateLimits: rateLimitsSchema.default(() => rateLimitsSchema.parse({})),
});

/** Reasons ordergram has texts for in every language; a shop may add its own with labels. */
export const builtInCancelReasons = ["changed_mind", "found_cheaper", "delivery_too_slow", "ordered_by_mistake", "other"] as const;

const cancelReasonSchema = z.union([
  z.enum(builtInCancelReasons, {
    error: () => `a built-in reason (${builtInCancelReasons.join(", ")}) or { code, label: { <language>: text } }`,
  }),
  z.strictObject({
    code: z.string().regex(/^[a-z0-9_]{1,24}$/, { error: "1-24 characters of a-z, 0-9 and _" }),
    /** The button's text per language; languages without one show the code's English label. */
    label: z.partialRecord(language, z.string().trim().min(1).max(40)),
  }),
]);

const unique = <T>(list: T[]) => new Set(list).size === list.length;

export const dialogSteps = ["delivery", "address", "comment"] as const;
export const readBackButtons = ["change", "cancel", "human"] as const;

const confirmationSchema = z.strictObject({
  /** Offered, in this order, when a customer cancels an order in the chat. */
  cancelReasons: z
    .array(cancelReasonSchema)
    .min(1)
    .default([...builtInCancelReasons]),
  /**
   * What the bot asks before the read-back, in this order; leave a step out to skip it (a shop
   * that always ships by post sends the method and skips "delivery"). Items out of stock are
   * always raised first: the bot never confirms what the shop cannot deliver.
   */
  steps: z.array(z.enum(dialogSteps)).refine(unique, { error: "each step once" }).default(["delivery", "address"]),
  /** The buttons under the read-back besides Confirm, in this order. */
  buttons: z
    .array(z.enum(readBackButtons))
    .refine(unique, { error: "each button once" })
    .default([...readBackButtons]),
});

const webhooksSchema = z.strictObject({
  /** Where ordergram POSTs order events; ORDERGRAM_WEBHOOK_URL overrides it. */
  url: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
});

export const configFileSchema = z
  .strictObject({
    shop: shopSchema,
    telegram: telegramSchema.default(() => telegramSchema.parse({})),
    confirmation: confirmationSchema.default(() => confirmationSchema.parse({})),
    webhooks: webhooksSchema.default(() => webhooksSchema.parse({})),
    managers: managersConfigSchema.default(() => managersConfigSchema.parse({})),
    notifications: notificationsConfigSchema.default(() => notificationsConfigSchema.parse({})),
    linking: linkingConfigSchema.default(() => linkingConfigSchema.parse({})),
    delivery: deliveryConfigSchema.default(() => deliveryConfigSchema.parse({})),
    substitutes: substitutesConfigSchema.default(() => substitutesConfigSchema.parse({})),
    returns: returnsConfigSchema.default(() => returnsConfigSchema.parse({})),
    texts: textsConfigSchema.default({}),
    commands: commandsConfigSchema.default(() => commandsConfigSchema.parse({})),
    /** A folder of <language>.yaml files with more `texts` (the config's own `texts` win). */
    textsDir: z.string().min(1).nullable().default(null),
  })
  .superRefine(
    (file, ctx) => {
      for (const problem of amountProblems(file)) ctx.addIssue({ code: "custom", ...problem });
    },
    // Also when other keys have problems, so that every problem is listed at once.
    { when: () => true },
  );

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ShopConfig = ConfigFile["shop"];
export type RateLimits = ConfigFile["telegram"]["rateLimits"];
export type ConfirmationConfig = ConfigFile["confirmation"];
export type CancelReason = ConfirmationConfig["cancelReasons"][number];
