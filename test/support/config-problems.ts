import { ConfigError } from "../../src/config/load-config.js";

/** The problems a config error lists, as "path: message" lines; fails when fn does not throw one. */
export const configProblemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
};
