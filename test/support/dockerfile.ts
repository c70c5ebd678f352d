import { readFileSync } from "node:fs";
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
