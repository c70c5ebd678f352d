import { cpSync, readFileSync, statSync, symlinkSync } from "node:fs";
import path from "node:path";

export interface DockerInstruction {
  /** FROM, RUN, COPY... in capitals. */
  keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  args: string;
  /** The build stage it belongs to (the `AS` name of the FROM above it). */
  stage: string;
}

/** The repository's Dockerfile as instructions, enough to check what the image runs. */
export function readDockerfile(root: string): DockerInstruction[] {
  const text = readFileSync(path.join(root, "Dockerfile"), "utf8");
  const joined = text.replace(/\\\n/g, " ");
  const instructions: DockerInstruction[] = [];
  let stage = "";
  for (const line of joined.split("\n")) {
    const match = /^([A-Z]+)\s+(.*)$/.exec(line.trim());
    if (!match || line.trim().startsWith("#")) continue;
    const [, keyword, args] = match as unknown as [string, string, string];
    if (keyword === "FROM") stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? "";
    instructions.push({ keyword, args: args.replace(/\s+/g, " ").trim(), stage });
  }
  return instructions;
}

/** The HEALTHCHECK's command in exec form: ["node", "-e", "..."]. */
export function dockerHealthcheckCommand(instructions: DockerInstruction[]): string[] {
  const healthcheck = instructions.find((i) => i.keyword === "HEALTHCHECK");
  const exec = healthcheck ? /\bCMD\s+(\[.*\])$/.exec(healthcheck.args)?.[1] : undefined;
  if (!exec) throw new Error("The Dockerfile has no HEALTHCHECK ... CMD [...] in exec form");
  return JSON.parse(exec) as string[];
}

/**
 * Lays out in `into` what the runtime stage's `COPY --from=build /app/...` lines put into /app:
 * from the repository, with `built` standing in for what the build stage made (dist/). The
 * dependencies are linked, not copied (they are this checkout's, dev dependencies included).
 * Then `into` can play /app: a file the image forgot to copy is missing here too.
 */
export function layOutRuntimeStage(instructions: DockerInstruction[], options: { root: string; dist: string; into: string }): void {
  for (const copy of instructions.filter((i) => i.stage === "runtime" && i.keyword === "COPY")) {
    const words = copy.args.split(" ");
    if (!words.includes("--from=build")) throw new Error(`COPY not from the build stage: ${copy.args}`);
    const paths = words.filter((word) => !word.startsWith("--"));
    const destination = path.join(options.into, paths.at(-1)!);
    for (const source of paths.slice(0, -1)) {
      if (!source.startsWith("/app/")) throw new Error(`COPY from outside /app: ${copy.args}`);
      const relative = source.slice("/app/".length);
      const from = relative === "dist" ? options.dist : path.join(options.root, relative);
      if (relative === "node_modules") {
        symlinkSync(from, destination.endsWith("/") ? path.join(destination, relative) : destination);
      } else if (statSync(from).isDirectory()) {
        // Docker copies a directory's contents into the destination.
        cpSync(from, destination, { recursive: true });
      } else {
        cpSync(from, paths.at(-1)!.endsWith("/") ? path.join(destination, path.basename(relative)) : destination);
      }
    }
  }
}

/** The runtime stage's `ENV` settings, with /app moved to `appDir`. */
export function runtimeEnvironment(instructions: DockerInstruction[], appDir: string): Record<string, string> {
  const settings = instructions
    .filter((i) => i.stage === "runtime" && i.keyword === "ENV")
    .flatMap((i) => [...i.args.matchAll(/([A-Z_]+)=(\S+)/g)].map(([, name, value]) => [name!, value!.replaceAll("/app/", `${appDir}/`)]));
  return Object.fromEntries(settings);
}

/** The runtime stage's CMD in exec form. */
export function runtimeCommand(instructions: DockerInstruction[]): string[] {
  const cmd = instructions.findLast((i) => i.stage === "runtime" && i.keyword === "CMD");
  if (!cmd) throw new Error("The Dockerfile's runtime stage has no CMD");
  return JSON.parse(cmd.args) as string[];
}
