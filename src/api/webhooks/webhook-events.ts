import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { deliveryFailureReasons, remedyKinds } from "../../domain/delivery-remedies.js";
import { orderViewSchema } from "../orders/order-schemas.js";
import { returnRequestSchema } from "../returns/return-schemas.js";

/**
 * The webhooks ordergram sends to the shop, in the OpenAPI description (3.1 `webhooks`), so a
 * shop's developer can generate a receiver from the same file as the client. Each body is the
 * envelope below; `data` is per event. Headers: see docs/api.md#webhooks.
 */
const envelope = (type: string, data: z.ZodType) =>
  z.object({
    id: z.string().openapi({ description: "The delivery id, the same on every retry (X-Ordergram-Delivery): deduplicate on it." }),
    type: z.literal(type),
    createdAt: z.string().openapi({ description: "When the event happened (ISO 8601)." }),
    timestamp: z
      .int()
      .openapi({ description: "Unix seconds of this attempt, equal to X-Ordergram-Timestamp and covered by the signature." }),
    data,
  });

const withOrder = (extra: Record<string, z.ZodType> = {}) => z.object({ order: orderViewSchema, ...extra });

const events: Array<{ type: string; summary: string; data: z.ZodType }> = [
  { type: "order.confirmed", summary: "The customer (or a manager from the card) confirmed the order.", data: withOrder() },
  {
    type: "order.changed",
    summary: "The order changed in the chat: a quantity, an item, a substitute, the delivery, the address, the comment.",
    data: withOrder(),
  },
  {
    type: "order.cancelled",
    summary: "The order was cancelled in the chat, by a manager, or for want of an answer.",
    data: withOrder({ reason: z.string() }),
  },
  {
    type: "order.escalated",
    summary: 'The chat went to a person; reason "unreached": the customer never opened the chat, and a person should phone them.',
    data: withOrder({ reason: z.string() }),
  },
  {
    type: "order.unreached",
    summary:
      "The customer has not opened the chat with the bot yet (linking.notifyShopAfterMinutes of contact hours after the order, and again " +
      "halfway to linking.giveUpAfterHours): send them the start link or the QR code by SMS, e-mail or print.",
    data: withOrder({
      notice: z.int().min(1).openapi({ description: "Which notice this is: 1, then 2." }),
      notices: z.int().min(1).openapi({ description: "How many notices come before the bot gives up." }),
      giveUpAt: z.string().openapi({
        description:
          'When the order is marked for a person (order.escalated, reason "unreached") if the customer has not opened the chat by then.',
      }),
      startQr: z
        .object({
          url: z.string().openapi({
            description: "The API path of the QR code (PNG; ?format=svg for SVG), fetched with the API token.",
            example: "/api/v1/orders/0b8e…/start-qr",
          }),
          dataUrl: z.string().openapi({ description: "The same PNG as a data: URL, ready for an <img>." }),
        })
        .nullable(),
    }),
  },
  {
    type: "order.undeliverable",
    summary:
      "Telegram refused a message about the order for good (a 4xx no retry changes, or every attempt failed); when it was the customer's " +
      "chat, a person takes it over (order.escalated, reason flow_failure).",
    data: withOrder({
      reason: z.string().openapi({ description: "Telegram's answer.", example: "400: Bad Request: chat not found" }),
      message: z.string().openapi({ description: "Which message it was (its kind).", example: "order.read_back" }),
    }),
  },
  {
    type: "order.remedy_chosen",
    summary:
      "After a moved or broken delivery date, or a failed delivery attempt, the customer chose a way out in the chat: it is applied to " +
      "the order (its delivery shows the new day and window, pickup point or address); a cancellation also comes as order.cancelled " +
      "with reason delivery_problem.",
    data: withOrder({
      remedy: z.object({
        kind: z.enum(remedyKinds),
        situation: z.enum(["moved", "broken", "failed"]),
        failureReason: z.enum(deliveryFailureReasons).nullable().optional(),
        date: z.string().optional(),
        window: z.string().optional(),
        pointId: z.string().optional(),
        address: z.string().optional(),
        code: z.string().optional().openapi({ description: "The code the customer was given (notifications.promises.code)." }),
      }),
    }),
  },
  {
    type: "order.rated",
    summary: "The customer rated a delivered order (again when they add a comment).",
    data: withOrder({ rating: z.object({ score: z.int().min(1).max(5), comment: z.string().nullable() }) }),
  },
  {
    type: "customer.unreachable",
    summary: "Telegram answered 403 (the customer blocked the bot, or never started it).",
    data: z.object({
      customer: z.object({ name: z.string(), phone: z.string().nullable() }).nullable(),
      order: z.object({ id: z.string(), externalId: z.string() }).nullable(),
      reason: z.string(),
    }),
  },
  {
    type: "customer.reachable",
    summary:
      "A customer Telegram reported unreachable wrote or tapped again (or unblocked the bot): messages reach them again. " +
      "`unreachableSince` is when the 403 came.",
    data: z.object({
      customer: z.object({ name: z.string(), phone: z.string().nullable() }),
      order: z.object({ id: z.string(), externalId: z.string() }).nullable(),
      unreachableSince: z.string(),
    }),
  },
  {
    type: "handoff.unanswered",
    summary: "Nobody in the managers' group took an escalated chat in time; the customer was told.",
    data: z.object({
      reason: z.string(),
      waitingSince: z.string(),
      pings: z.int(),
      customer: z.object({ telegramUserId: z.string(), name: z.string().nullable(), phone: z.string().nullable() }),
      order: orderViewSchema.nullable(),
    }),
  },
  {
    type: "return.requested",
    summary: "A customer sent a return request from the chat.",
    data: withOrder({ returnRequest: returnRequestSchema }),
  },
];

export function registerWebhookEvents(api: OpenAPIHono): void {
  for (const event of events) {
    api.openAPIRegistry.registerWebhook({
      method: "post",
      path: event.type,
      summary: event.summary,
      request: { body: { content: { "application/json": { schema: envelope(event.type, event.data) } }, required: true } },
      responses: {
        200: { description: "Any 2xx acknowledges the delivery; anything else, or no answer in 10 s, is retried with back-off." },
      },
    });
  }
}
