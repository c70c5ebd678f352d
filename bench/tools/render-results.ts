// Re-renders the table from a results file (after a change to the report, without re-running):
//   npx tsx bench/tools/render-results.ts [bench/results/latest.json]
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { evaluateTargets, renderMarkdown, type BenchResults } from "../lib/report.js";

const file = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, "../results/latest.json"));
const results = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
results.targets = evaluateTargets(results);
const markdown = renderMarkdown(results);
writeFileSync(file.replace(/\.json$/, ".md"), markdown);
process.stdout.write(markdown);
