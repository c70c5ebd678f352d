import { loadBotApiSpec } from "../../src/telegram-standin/api-spec.js";

const spec = loadBotApiSpec();

/**
 * Lists how a value differs from the official type description: missing required fields,
 * fields the spec does not know, wrong primitive types. Written independently of the stand-in's
 * own parameter checker so that one cannot hide the other's mistakes.
 */
export function shapeProblems(value: unknown, typeName: string, path = typeName): string[] {
  return problemsForAlternatives(value, [typeName], path);
}

function problemsForAlternatives(value: unknown, types: string[], path: string): string[] {
  let best: string[] | undefined;
  for (const type of types) {
    const problems = problemsFor(value, type, path);
    if (problems.length === 0) return [];
    if (!best || problems.length < best.length) best = problems;
  }
  return best ?? [`${path}: no type`];
}

function problemsFor(value: unknown, type: string, path: string): string[] {
  if (type.startsWith("Array of ")) {
    if (!Array.isArray(value)) return [`${path}: expected ${type}`];
    return value.flatMap((item, index) => problemsForAlternatives(item, [type.slice(9)], `${path}[${index}]`));
  }
  switch (type) {
    case "Integer":
      return Number.isInteger(value) ? [] : [`${path}: expected Integer, got ${JSON.stringify(value)}`];
    case "Float":
      return typeof value === "number" ? [] : [`${path}: expected Float`];
    case "String":
      return typeof value === "string" ? [] : [`${path}: expected String, got ${JSON.stringify(value)}`];
    case "Boolean":
    case "True":
      return typeof value === "boolean" ? [] : [`${path}: expected Boolean`];
  }
  const described = spec.types[type];
  if (!described) return [`${path}: unknown type ${type}`];
  if (described.subtypes) return problemsForAlternatives(value, described.subtypes, path);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: expected ${type} object`];
  const fields = described.fields ?? [];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record)) {
    if (!fields.some((field) => field.name === key)) problems.push(`${path}.${key}: not a field of ${type}`);
  }
  for (const field of fields) {
    const fieldValue = record[field.name];
    if (fieldValue === undefined) {
      if (field.required) problems.push(`${path}.${field.name}: required by ${type} but missing`);
      continue;
    }
    problems.push(...problemsForAlternatives(fieldValue, field.types, `${path}.${field.name}`));
  }
  return problems;
}
