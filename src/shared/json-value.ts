/** A JSON value as it is stored in a JSON column (outbox payloads, order events, webhook data). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

type JsonObject = { [key: string]: JsonValue };

/**
 * A plain JSON copy of an object, as a JSON column stores it: Dates become ISO strings, undefined
 * fields are left out, and bigints (money in minor units) become strings of digits.
 */
export function toJsonObject(data: object): JsonObject {
  return JSON.parse(JSON.stringify(data, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))) as JsonObject;
}
