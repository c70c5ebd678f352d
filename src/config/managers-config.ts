import { z } from "zod";
import { supportedLanguages } from "../locales/supported-languages.js";

/**
 * The managers' side (config key `managers`): the forum supergroup where escalated chats land,
 * who counts as a manager, when they work, what the customer is promised, and how long the bot
 * waits before it pings the group again. ordergram.config.example.yaml documents each key.
 */

const clockTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: 'a time such as "09:00" ("24:00" = midnight at the end of the day)' });
const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const language = z.enum(supportedLanguages, { error: () => `one of: ${supportedLanguages.join(", ")}` });

const workingHoursSchema = z
  .strictObject({
    /** Days on which managers answer chats. */
    days: z.array(z.enum(days)).min(1).default(["mon", "tue", "wed", "thu", "fri"]),
    /** Local time (shop.timeZone) from which they answer... */
    from: clockTime.default("09:00"),
    /** ...and until which. */
    to: clockTime.default("18:00"),
  })
  .refine((hours) => hours.from < hours.to, { error: "`from` must be before `to`", path: ["to"] });

export const managersConfigSchema = z.strictObject({
  /**
   * The managers' forum supergroup (a -100… id); the bot must be an administrator there, able to
   * manage topics. null: escalations still stop the bot and reach the shop by webhook, but no
   * topic is opened. Written as a number; read as a bigint, like every chat id ordergram stores.
   */
  groupChatId: z
    .int()
    .max(-1, { error: "a group's chat id, negative (e.g. -1001234567890)" })
    .transform((id) => BigInt(id))
    .nullable()
    .default(null),
  /** Telegram user ids who count as managers besides the group's members. */
  userIds: z.array(z.int().positive()).default([]),
  /** The language of everything the bot writes into the managers' group. */
  language: language.default("en"),
  /** When managers answer; the customer is told when to expect a person. null: always. */
  workingHours: workingHoursSchema.nullable().default(() => workingHoursSchema.parse({})),
  /** Shown to the customer within working hours: "a person will answer you within <answerWithin>". */
  answerWithin: z
    .partialRecord(language, z.string().trim().min(1).max(60))
    .default({ en: "15 minutes", ru: "15 минут", uk: "15 хвилин", hu: "15 perc" }),
  reping: z
    .strictObject({
      /** Nobody took the chat this many minutes (working time) after it escalated: ping the group again. */
      afterMinutes: z
        .int()
        .min(1)
        .max(24 * 60)
        .default(10),
      /** How many times; when the last one goes unanswered too, the customer gets an honest update and the shop a webhook. */
      times: z.int().min(0).max(10).default(2),
    })
    .default({ afterMinutes: 10, times: 2 }),
  /** Telegram usernames (without @) mentioned in the re-pings. */
  mention: z.array(z.string().regex(/^[A-Za-z0-9_]{5,32}$/, { error: "a Telegram username without @" })).default([]),
  /** Words in a customer's message that send the chat to a person at once (case-insensitive). */
  keywords: z.array(z.string().trim().min(2).max(40)).default(["complaint", "жалоба"]),
  /** Free texts in a row that the dialog cannot use before the chat goes to a person. */
  unusableTextsBeforeEscalation: z.int().min(1).max(10).default(2),
});

export type ManagersConfig = z.infer<typeof managersConfigSchema>;
