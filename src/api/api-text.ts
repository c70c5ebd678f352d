import { z } from "@hono/zod-openapi";

// C0 controls and DEL. PostgreSQL refuses NUL in text (a 500 there, silently kept on SQLite), and
// the rest are invisible garbage in a chat message. Multi-line texts keep \n and \t.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const singleLineControls = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above
const multiLineControls = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Refuses control characters, with the field's path in the 400 like any other bad field. */
export function noControlCharacters<T extends z.ZodType<string>>(schema: T, options: { multiline?: boolean } = {}): T {
  const pattern = options.multiline ? multiLineControls : singleLineControls;
  return schema.refine((value) => !pattern.test(value), { error: "must not contain control characters" });
}

/** A required, trimmed, single-line text of at most `max` characters, for every text the API takes. */
export const apiText = (max: number, options: { multiline?: boolean } = {}) =>
  noControlCharacters(z.string().trim().min(1).max(max), options);

/** An id in a path or a query (an order's, a return request's, a webhook delivery's). */
export const apiId = (max = 64) => noControlCharacters(z.string().min(1).max(max));

/** A web link the customer is shown (tracking, a return label): http(s) only, no control characters. */
export const apiUrl = (max: number) => noControlCharacters(z.url({ protocol: /^https?$/ }).max(max));
