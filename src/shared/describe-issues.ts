import type { z } from "zod";

export interface InputProblem {
  /** Dotted path to the bad value ("items.2.quantity"); "(root)" for the whole input. */
  path: string;
  message: string;
  /** The path as keys, for finding the value in a document (keys may contain dots). */
  segments?: Array<string | number>;
}

/**
 * Turns zod's issues into one readable problem per bad key: the path, what was expected and, for
 * unknown keys, which keys are allowed. Used for the config file and for API payloads alike.
 */
const keyOf = (key: PropertyKey): string | number => (typeof key === "number" ? key : String(key));

export function describeIssues(error: z.ZodError): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({ path: [...base, key].join("."), message: "unknown key", segments: [...issue.path.map(keyOf), key] });
      }
      continue;
    }
    problems.push({ path: base.length ? base.join(".") : "(root)", message: issue.message, segments: issue.path.map(keyOf) });
  }
  return problems;
}
