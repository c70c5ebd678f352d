import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { orderReachFacts } from "../../db/reach-repository.js";
import { zonedInstant } from "../../domain/contact-hours.js";
import { linkWays, reachStats } from "../../domain/reach-stats.js";
import type { ServiceDependencies } from "../../services/service-dependencies.js";
import { apiError } from "../api-error.js";
import { apiErrorSchema } from "../orders/order-schemas.js";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });

const moment = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).openapi({
  description: "An ISO 8601 date-time, or a date (a whole day in the shop's time zone).",
  example: "2026-12-01",
});

const reachSchema = z
  .object({
    from: z.string(),
    to: z.string().openapi({ description: "Exclusive." }),
    created: z.int().openapi({ description: "Orders created in the period." }),
    linked: z.int().openapi({ description: "...of them with a chat with the bot." }),
    linkedBy: z.object(Object.fromEntries(linkWays.map((way) => [way, z.int()])) as Record<(typeof linkWays)[number], z.ZodInt>).openapi({
      description:
        "How: the start link, the shared phone contact, the Telegram id the shop sent (the customer then wrote /start), or a chat the " +
        "bot knew already.",
    }),
    readBack: z.int().openapi({ description: "...read back to the customer." }),
    confirmed: z.int().openapi({ description: "...confirmed (by the customer or a manager)." }),
    medianMinutesToReadBack: z.number().nullable().openapi({ description: "Median minutes from creation to the first read-back." }),
    medianMinutesToConfirmation: z.number().nullable().openapi({ description: "Median minutes from creation to confirmation." }),
  })
  .openapi("ReachStats");

const reachRoute = createRoute({
  method: "get",
  path: "/stats/reach",
  summary: "How many customers the bot reached, how, and how fast",
  description:
    "Of the orders created from `from` (inclusive) to `to` (exclusive; a date counts as its whole day): linked, read back, confirmed, " +
    "and the median minutes to the read-back and to confirmation. Default: the last 30 days.",
  security: [{ bearer: [] }],
  request: { query: z.object({ from: moment.optional(), to: moment.optional() }) },
  responses: {
    200: json(reachSchema, "The numbers."),
    400: json(apiErrorSchema, "A bad moment, or `from` not before `to`."),
    401: json(apiErrorSchema, "Missing or wrong API token."),
  },
});

const dayMs = 24 * 60 * 60_000;

export function statsRoutes(api: OpenAPIHono, deps: ServiceDependencies): void {
  api.openapi(reachRoute, async (c) => {
    const query = c.req.valid("query");
    const timeZone = deps.config().shop.timeZone;
    const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text);
    const startOf = (date: string) => zonedInstant(date, 0, timeZone);
    const to = query.to ? (isDate(query.to) ? zonedInstant(query.to, 24 * 60, timeZone) : new Date(query.to)) : deps.clock.now();
    const from = query.from ? (isDate(query.from) ? startOf(query.from) : new Date(query.from)) : new Date(to.getTime() - 30 * dayMs);
    if (from.getTime() >= to.getTime()) {
      return c.json(apiError("VALIDATION_FAILED", "`from` must be before `to`.", [{ path: "from", message: "must be before `to`" }]), 400);
    }
    const stats = reachStats(await orderReachFacts(deps.db, { from, to }));
    return c.json({ from: from.toISOString(), to: to.toISOString(), ...stats }, 200);
  });
}
