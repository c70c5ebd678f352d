import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The directory holding ordergram's package.json (and prisma/). Found from this file rather than
 * the cwd, so migrations are found when ordergram is started from another directory, and from
 * either src/db (tsx) or a compiled dist/.../db.
 */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "prisma"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`ordergram package root not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
