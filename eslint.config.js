// Lint: typescript-eslint's type-aware recommended rules over the code we write. Formatting is
// prettier's job (.prettierrc.json), so no stylistic rule is enabled here.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [
      "src/generated/**",
      "dist/**",
      "dist-test-*/**",
      "node_modules/**",
      "vendor/**",
      "coverage/**",
      "test-results/**",
      "bench/results/**",
      "tmp/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Files in no tsconfig: the .mjs scripts (allowJs is off at the root) and the lint configs.
          allowDefaultProject: ["eslint.config.js", ".dependency-cruiser.cjs", "scripts/*.mjs", "scripts/lib/*.mjs"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // A leading underscore marks a parameter or binding kept on purpose (a signature, a destructured-away field).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      // Fakes and adapters implement async interfaces without awaiting; `async` there keeps throws as rejections.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Prettier wraps code at 140 but never breaks a string or a comment, so long ones are kept short here.
    ignores: ["src/locales/**"],
    rules: { "max-len": ["error", { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true }] },
  },
  {
    // TypeScript itself reports undefined names in .ts files (typescript-eslint's advice).
    files: ["**/*.ts"],
    rules: { "no-undef": "off" },
  },
  {
    files: ["**/*.mjs", "**/*.cjs", "eslint.config.js"],
    languageOptions: { globals: { console: "readonly", process: "readonly", module: "writable", require: "readonly" } },
  },
  {
    // Tests and benchmarks read HTTP answers (`response.json()` is `any`) and stand-in payloads field by
    // field; typing each of the ~1,200 reads buys nothing a failing assertion would not show.
    files: ["test/**", "bench/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // The sandbox page is untyped browser JavaScript (checked by src/sandbox/web/tsconfig.json, loose on
    // implicit any): every DOM and JSON value is `any` to the unsafe-* rules.
    files: ["src/sandbox/web/**"],
    rules: {
      // TypeScript reports undefined names here too (checkJs, lib dom).
      "no-undef": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);
