import type { BotApiSpec, SpecField, SpecMethod } from "./api-spec.js";
import { UploadedFile } from "./uploaded-file.js";

export type ParamCheckResult = { ok: true; params: Record<string, unknown> } | { ok: false; description: string };

interface CoerceFailure {
  ok: false;
  /** Dotted path inside the parameter, empty for the parameter itself. */
  path: string;
  message: string;
  /** How deep the failure is; among union alternatives the deepest failure explains best what went wrong. */
  depth: number;
}
type Coerced = { ok: true; value: unknown } | CoerceFailure;

/**
 * Checks request parameters against the official method description and converts them to their
 * spec types: form bodies carry everything as strings, and nested objects arrive JSON-serialized.
 * `attach://<name>` references and direct file fields become `UploadedFile` values.
 */
export function checkParams(
  spec: BotApiSpec,
  method: SpecMethod,
  raw: Record<string, unknown>,
  files: Map<string, UploadedFile>,
): ParamCheckResult {
  const fields = method.fields ?? [];
  const known = new Map(fields.map((field) => [field.name, field]));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) return fail(`unknown parameter "${key}" for method ${method.name}`);
  }
  const params: Record<string, unknown> = {};
  for (const field of fields) {
    let value = raw[field.name];
    if (value === undefined || value === null) {
      const file = files.get(field.name);
      if (file && field.types.includes("InputFile")) value = file;
    }
    if (value === undefined || value === null) {
      if (field.required) return fail(missingMessage(field));
      continue;
    }
    const coerced = coerce(spec, files, value, field.types, "", 0);
    if (!coerced.ok) {
      return fail(
        coerced.depth === 0
          ? `field "${field.name}" must be of type ${field.types.join(" or ")}`
          : `can't parse ${field.name} JSON object: ${coerced.message}`,
      );
    }
    params[field.name] = coerced.value;
  }
  return { ok: true, params };
}

function fail(detail: string): ParamCheckResult {
  return { ok: false, description: `Bad Request: ${detail}` };
}

function missingMessage(field: SpecField): string {
  // Telegram's own wording for the two parameters bots forget most often.
  if (field.name === "text") return "message text is empty";
  return `${field.name} is empty`;
}

function coerce(spec: BotApiSpec, files: Map<string, UploadedFile>, value: unknown, types: string[], path: string, depth: number): Coerced {
  let best: CoerceFailure | undefined;
  for (const type of types) {
    const result = coerceOne(spec, files, value, type, path, depth);
    if (result.ok) return result;
    if (!best || result.depth > best.depth) best = result;
  }
  return best ?? { ok: false, path, depth, message: `field "${path}" has no type in the specification` };
}

function coerceOne(spec: BotApiSpec, files: Map<string, UploadedFile>, value: unknown, type: string, path: string, depth: number): Coerced {
  const wrongType = (): CoerceFailure => ({
    ok: false,
    path,
    depth,
    message: `field "${path}" must be of type ${type}`,
  });

  if (type.startsWith("Array of ")) {
    const itemType = type.slice("Array of ".length);
    const parsed = typeof value === "string" ? parseJson(value) : value;
    if (!Array.isArray(parsed)) return wrongType();
    const items: unknown[] = [];
    for (const [index, item] of parsed.entries()) {
      const result = coerce(spec, files, item, [itemType], `${path}[${index}]`, depth + 1);
      if (!result.ok) return result;
      items.push(result.value);
    }
    return { ok: true, value: items };
  }

  switch (type) {
    case "Integer":
      if (typeof value === "number" && Number.isSafeInteger(value)) return { ok: true, value };
      if (typeof value === "string" && /^-?\d+$/.test(value.trim()) && Number.isSafeInteger(Number(value))) {
        return { ok: true, value: Number(value) };
      }
      return wrongType();
    case "Float":
      if (typeof value === "number" && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
        return { ok: true, value: Number(value) };
      }
      return wrongType();
    case "String":
      if (typeof value === "string") return { ok: true, value };
      // Telegram accepts numbers where a string is expected (e.g. a numeric text).
      if (typeof value === "number") return { ok: true, value: String(value) };
      return wrongType();
    case "Boolean":
    case "True":
      if (typeof value === "boolean") return { ok: true, value };
      if (value === 1 || value === 0) return { ok: true, value: value === 1 };
      if (typeof value === "string" && /^(true|false|1|0)$/i.test(value)) {
        return { ok: true, value: /^(true|1)$/i.test(value) };
      }
      return wrongType();
    case "InputFile":
      if (value instanceof UploadedFile) return { ok: true, value };
      if (typeof value === "string" && value.startsWith("attach://")) {
        const file = files.get(value.slice("attach://".length));
        if (file) return { ok: true, value: file };
        // Deeper than a type mismatch so that this explanation wins over "must be String".
        return { ok: false, path, depth: depth + 1, message: `file "${value}" was not attached to the request` };
      }
      return wrongType();
  }

  const described = spec.types[type];
  if (!described) return wrongType();
  if (described.subtypes) return coerce(spec, files, value, described.subtypes, path, depth);

  const parsed = typeof value === "string" ? parseJson(value) : value;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || parsed instanceof UploadedFile) {
    return wrongType();
  }
  if (!described.fields) return { ok: true, value: parsed };
  const object = parsed as Record<string, unknown>;
  // Like Telegram, fields an object type does not have are ignored (Telegraf, for one, sends
  // `hide` on inline buttons); only what the spec knows is checked and kept.
  const prefix = path === "" ? "" : `${path}.`;
  const result: Record<string, unknown> = {};
  for (const field of described.fields) {
    const fieldValue = object[field.name];
    if (fieldValue === undefined || fieldValue === null) {
      if (field.required) {
        return { ok: false, path, depth: depth + 1, message: `field "${prefix}${field.name}" is missing in ${type}` };
      }
      continue;
    }
    const coerced = coerce(spec, files, fieldValue, field.types, `${prefix}${field.name}`, depth + 1);
    if (!coerced.ok) return coerced;
    result[field.name] = coerced.value;
  }
  return { ok: true, value: result };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
