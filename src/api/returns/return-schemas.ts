import { z } from "@hono/zod-openapi";
import { apiText, apiUrl } from "../api-text.js";
import { returnResolutions, returnStatuses } from "../../domain/return-request.js";

/**
 * The return requests in the shop API: what POST /returns/{id}/status takes (per status, what the
 * customer is told along with it) and how a request is shown (GET, and the return.requested webhook).
 */

const text = (max: number) => apiText(max);
const note = apiText(1000, { multiline: true }).optional().openapi({ description: "A line of your own for the customer (plain text)." });
const amount = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, { error: 'an amount in major units such as "12.50"' })
  .optional()
  .openapi({ description: "In the order's currency, major units.", example: "12.50" });

const instructionsSchema = z
  .strictObject({
    labelUrl: apiUrl(500).optional().openapi({ description: "Where the customer gets the return label." }),
    address: text(500).optional().openapi({ description: "Where to send the items." }),
    pickup: z
      .strictObject({
        date: z.iso.date().optional().openapi({
          description: "Local date of the courier pickup; without it the customer is told the time will be agreed.",
          example: "2026-12-05",
        }),
        window: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { error: 'a time window such as "10:00-14:00"' })
          .optional(),
        note: text(300).optional(),
      })
      .optional()
      .openapi({ description: "A courier collects the items." }),
    note,
  })
  .refine((i) => Boolean(i.labelUrl || i.address || i.pickup || i.note), { error: "give at least one of labelUrl, address, pickup, note" })
  .openapi({ description: "How the items go back: a label, an address, a courier pickup, or a note." });

export const returnStatusInputSchema = z
  .discriminatedUnion("status", [
    z.strictObject({ status: z.literal("approved"), instructions: instructionsSchema }),
    z.strictObject({ status: z.literal("rejected"), reason: text(500).openapi({ description: "Told to the customer as it is." }), note }),
    z.strictObject({ status: z.literal("received"), note }),
    z.strictObject({ status: z.literal("refunded"), amount, note }),
    z.strictObject({ status: z.literal("exchanged"), note }),
    z.strictObject({
      status: z.literal("credited"),
      amount,
      code: text(64).optional().openapi({ description: "A voucher or credit code for the customer." }),
      note,
    }),
  ])
  .openapi("ReturnStatusInput");

export type ReturnStatusInput = z.infer<typeof returnStatusInputSchema>;

export const returnRequestSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderExternalId: z.string(),
    status: z.enum(returnStatuses),
    items: z.array(z.object({ position: z.int(), sku: z.string(), name: z.string(), quantity: z.int() })),
    reason: z.string().openapi({
      description: "A code from returns.reasons: wrong_size, damaged, wrong_item, not_as_described, changed_mind, other, or your own.",
    }),
    comment: z.string().nullable(),
    resolution: z.object({
      type: z.enum(returnResolutions),
      exchangeFor: z
        .string()
        .nullable()
        .openapi({ description: "For an exchange: your option's code (returns.exchangeOptions) or what the customer typed." }),
    }),
    photos: z.array(
      z.object({
        id: z.string(),
        url: z.string().nullable().openapi({
          description: "Download link (Authorization: Bearer as for the API); null in webhooks when no base URL is configured.",
        }),
        path: z.string().openapi({ example: "/api/v1/returns/3f0c…/photos/9a1d…" }),
        width: z.int(),
        height: z.int(),
        fileSize: z.int().nullable(),
        telegramFileId: z.string(),
        telegramFileUniqueId: z.string(),
        kept: z.boolean().openapi({ description: "A copy is kept under returns.photos.directory." }),
      }),
    ),
    language: z.string(),
    history: z.array(z.object({ status: z.enum(returnStatuses), at: z.string(), details: z.record(z.string(), z.unknown()) })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("ReturnRequest");
