// The layering of the source map (README, "How it is built"), checked by `npm run lint:deps`.
// Paths are relative to the repository root; `type-only` imports (`import type`) carry no runtime
// dependency, so the rules about runtime reach let them through where the comment says so.

/** Packages that tie code to Telegram, the database, validation or translation. */
const frameworks = "^node_modules/(grammy|@grammyjs|@prisma|prisma|zod|@hono|hono|i18next)(/|$)";

/** Entry points and test code: the only places that assemble bots, the API and the stand-in. */
const assemblers = "^(src/(main|index|ordergram)\\.ts$|src/app/|src/sandbox/|test/|bench/|scripts/)";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle makes load order matter and the layers meaningless.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "src/domain is plain data and functions: no grammY, Prisma, zod, i18next or hono, and no other layer but shared.",
      from: { path: "^src/domain/" },
      to: {
        path: [frameworks, "^src/(?!domain/|shared/)"],
      },
    },
    {
      name: "only-db-reaches-prisma",
      severity: "error",
      comment: "The generated Prisma client and @prisma/* are src/db's business (scripts/ drives migrations through the adapters).",
      from: { pathNot: "^(src/db/|src/generated/|scripts/|test/|bench/|prisma\\.config\\.ts$)" },
      to: { path: ["^src/generated/", "^node_modules/@prisma/"] },
    },
    {
      name: "flows-do-not-query-the-database",
      severity: "error",
      comment: "Flows go through src/services; a type from src/db (import type) is fine, a query is not.",
      from: { path: "^src/flows/" },
      to: { path: "^src/db/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "only-assemblers-import-bots-api-standin",
      severity: "error",
      comment:
        "Only main.ts, index.ts, ordergram.ts, src/app, src/sandbox and tests put together bots/, api/ and the stand-in. A flow may name " +
        "the bot's context type (import type).",
      from: { pathNot: [assemblers, "^src/(bots|api|telegram-standin)/"] },
      to: {
        path: "^src/(bots|api|telegram-standin)/",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "bots-api-standin-keep-to-themselves",
      severity: "error",
      comment: "bots/, api/ and telegram-standin/ do not import one another at runtime.",
      from: { path: "^src/(bots|api|telegram-standin)/" },
      to: {
        path: "^src/(bots|api|telegram-standin)/",
        pathNot: "^src/$1/",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "standin-imports-only-telegram-types",
      severity: "error",
      comment:
        "The stand-in fakes Telegram for anyone: it uses @grammyjs/types, node, hono (its HTTP server), zod (its control API) and " +
        "shared's HTML parser, nothing of the bot.",
      from: { path: "^src/telegram-standin/" },
      to: {
        pathNot: ["^src/telegram-standin/", "^src/shared/", "^node_modules/(@grammyjs/types|hono|@hono/node-server|zod)(/|$)"],
        dependencyTypesNot: ["core"],
      },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^src/generated/"] },
    exclude: { path: ["^dist/", "^vendor/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    preserveSymlinks: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".d.ts", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
