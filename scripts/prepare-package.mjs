// npm's `prepare`: builds dist/ when npm prepares ordergram as a package for another project,
// which is how installing it from a git URL gets its dist/ (npm runs `prepare`, not `prepack`,
// for a git dependency). In the checkout itself (`npm install` or `npm ci` in a clone) it builds
// nothing, so a fresh clone installs as fast as before: `npm start`, the tests and the sandbox run
// the TypeScript sources through tsx, and `npm pack` builds through `prepack`.
// INIT_CWD is the directory npm was run from (npm's scripts docs).
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = realpathSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));
const ranFrom = process.env.INIT_CWD ? realpathSync(path.resolve(process.env.INIT_CWD)) : root;

if (ranFrom === root) {
  console.log("prepare: npm runs in ordergram's own checkout: dist/ is not built (npm run build builds it)");
} else {
  console.log(`prepare: building dist/ for ${ranFrom}`);
  const build = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  process.exit(build.status ?? 1);
}
