/**
 * Reads a sample's value out of Prometheus's text format: `sample(text, name, { label: "x" })`
 * is the value of the one sample of that name whose labels include those given, or undefined.
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const matches = text
    .split("\n")
    .filter((line) => !line.startsWith("#"))
    .flatMap((line) => {
      const parsed = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!parsed || parsed[1] !== name) return [];
      const found = Object.fromEntries([...(parsed[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return Object.entries(labels).every(([key, value]) => found[key] === value) ? [Number(parsed[3])] : [];
    });
  if (matches.length > 1) throw new Error(`${matches.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matches[0];
}
