import { z } from "zod";
import { remedyKinds } from "../domain/delivery-remedies.js";

/**
 * What the bot says on its own and when (config key `notifications`): contact hours, nudges for
 * unconfirmed orders, delivery reminders, quiet-parcel updates, ratings. Every timing is the
 * owner's; the defaults follow the rules of the trade (docs: shared/docs/product.md, rules 1-9).
 */

const clockTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: 'a time such as "09:00" ("24:00" = midnight at the end of the day)' });
const contactDays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** Kinds of automatic messages, as the owner names them in `whileManagerHasChat`. */
export const automaticMessageKinds = ["nudge", "delivery_reminder", "status_update", "quiet_parcel", "auto_cancel"] as const;
export type AutomaticMessageKind = (typeof automaticMessageKinds)[number];

const contactHoursSchema = z
  .strictObject({
    /** Days on which the bot may write first. */
    days: z
      .array(z.enum(contactDays))
      .min(1)
      .default([...contactDays]),
    /** Local time (shop.timeZone) from which the bot may write first... */
    from: clockTime.default("09:00"),
    /** ...and until which. */
    to: clockTime.default("21:00"),
    /**
     * An order placed outside contact hours gets its first message within this many minutes
     * after opening (each order its own moment), not at the stroke of it.
     */
    firstMessageSpreadMinutes: z.int().min(0).max(240).default(30),
  })
  .refine((hours) => hours.from < hours.to, { error: "`from` must be before `to`", path: ["to"] });

const promisesSchema = z.strictObject({
  /** Hours after the end of a promised day (or window) before the promise counts as broken. */
  graceHours: z.number().min(0).max(72).default(0),
  /**
   * What the customer is offered, in this order, when a date moves, a promise breaks or a delivery
   * attempt fails (src/domain/delivery-remedies.ts picks those that fit): another courier day and
   * window, a pickup point instead, a corrected address, cancelling free of charge, a code.
   */
  remedies: z
    .array(z.enum(remedyKinds))
    .refine((kinds) => new Set(kinds).size === kinds.length, { error: "a remedy is listed twice" })
    .default(["new_day", "pickup", "address", "cancel"]),
  /** The discount or free-delivery code the `code` remedy gives (null: none is offered). */
  code: z.string().trim().min(1).max(64).nullable().default(null),
});

export const notificationsConfigSchema = z.strictObject({
  contactHours: contactHoursSchema.default(() => contactHoursSchema.parse({})),
  nudges: z
    .strictObject({
      /** A nudge when the customer has not answered the read-back for this long. */
      afterMinutes: z
        .int()
        .min(5)
        .max(7 * 24 * 60)
        .default(60),
      /** How many nudges at most; after the last one goes unanswered the chat goes to a manager. */
      count: z.int().min(0).max(10).default(2),
    })
    .default({ afterMinutes: 60, count: 2 }),
  /** Cancel an order the customer never confirmed after this many hours; null: never (the default). */
  autoCancelAfterHours: z
    .int()
    .min(1)
    .max(30 * 24)
    .nullable()
    .default(null),
  deliveryReminder: z
    .strictObject({
      /** Hours before the start of the agreed delivery window; a day without a window: at opening on the day. */
      hoursBefore: z.number().min(0).max(72).default(3),
    })
    .default({ hoursBefore: 3 }),
  pickup: z
    .strictObject({
      /** Remind the customer this many hours before the pickup point stops keeping the parcel. */
      storageReminderHoursBefore: z
        .number()
        .min(1)
        .max(14 * 24)
        .default(24),
    })
    .default({ storageReminderHoursBefore: 24 }),
  /** A proactive update when a parcel's status has not changed for this many days (each once). */
  quietParcelDays: z.array(z.int().min(1).max(90)).max(5).default([7, 14]),
  promises: promisesSchema.default(() => promisesSchema.parse({})),
  /**
   * Automatic messages (and the auto-cancel) that still go out while a manager has the chat. The
   * others are held: when the chat is the bot's again, the current status, skipped reminders and
   * quiet-parcel news go out, and nudges count again from then (src/services/resume-follow-ups.ts).
   */
  whileManagerHasChat: z.array(z.enum(automaticMessageKinds)).default(["delivery_reminder"]),
  rating: z
    .strictObject({
      /** Ask for a 1-5 rating after delivery. */
      enabled: z.boolean().default(true),
      /** A rating at or below this goes to a manager. */
      lowScoreAtMost: z.int().min(1).max(5).default(3),
    })
    .default({ enabled: true, lowScoreAtMost: 3 }),
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;
