import { z } from "zod";

/**
 * The customer's message about a return's status, as data for the outbox: rendered when it is
 * sent, from the request's history entry `seq` (1-based). The schema is the one source: the
 * outbox channel parses a stored intent with it.
 */
export const returnIntentSchemas = {
  "return.status": z.object({ kind: z.literal("return.status"), returnId: z.string().min(1), seq: z.int().min(1) }),
} as const;

export type ReturnIntent = z.infer<(typeof returnIntentSchemas)["return.status"]>;
