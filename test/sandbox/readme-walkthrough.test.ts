import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";

/**
 * The README's sandbox walkthrough, run as written: the curl lines of its sandbox section, parsed
 * from README.md, sent to `npm start` (no token: the sandbox) on a free port. Only the host and
 * port are substituted. The sandbox clock is first set to a moment of the day, so the walkthrough
 * is run in the shop's contact hours and at night, whatever the hour the test runs at; at night it
 * follows the README's own words (the first message waits; `{"next":true}` brings it).
 * A renamed field, a button that is no longer there, or a route that moved fails here.
 */

const root = path.resolve(import.meta.dirname, "../..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");
/** Where the README's commands point: `npm start`'s default address. */
const readmeBase = "http://127.0.0.1:3000";

/** Splits a shell script into commands of words: quotes, `\` line continuations and comments. */
function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const char = script[i]!;
    if (char === "\\" && script[i + 1] === "\n") i++;
    else if (char === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) throw new Error("unclosed ' in the README's shell block");
      word = (word ?? "") + script.slice(i + 1, end);
      i = end;
    } else if (char === '"' || char === "$" || char === "`" || char === "\\") {
      throw new Error(`the README's shell block uses ${char}, which this reader does not expand: quote with ' instead`);
    } else if (char === "#" && word === null) {
      while (i + 1 < script.length && script[i + 1] !== "\n") i++;
    } else if (char === "\n") endCommand();
    else if (char === " " || char === "\t") endWord();
    else word = (word ?? "") + char;
  }
  endCommand();
  return commands;
}

interface CurlRequest {
  /** The command as the README writes it, for failure messages. */
  line: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The few curl options the README uses; any other one fails, rather than being sent wrong. */
function curlRequest(words: string[]): CurlRequest {
  if (words[0] !== "curl") throw new Error(`not a curl command: ${words.join(" ")}`);
  const request: Omit<CurlRequest, "method"> & { method?: string } = { line: words.join(" "), url: "", headers: {} };
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const value = () => {
      const next = words[++i];
      if (next === undefined) throw new Error(`${word} without a value in: ${request.line}`);
      return next;
    };
    if (word === "-s" || word === "--silent") continue;
    if (word === "-X" || word === "--request") request.method = value();
    else if (word === "-H" || word === "--header") {
      const [name, ...rest] = value().split(":");
      request.headers[name!.trim().toLowerCase()] = rest.join(":").trim();
    } else if (word === "-d" || word === "--data" || word === "--data-raw") request.body = value();
    else if (word.startsWith("-")) throw new Error(`curl option ${word} is not supported by this test: ${request.line}`);
    else request.url = word;
  }
  if (request.body !== undefined) request.headers["content-type"] ??= "application/x-www-form-urlencoded"; // as curl sends -d
  return { ...request, method: request.method ?? (request.body === undefined ? "GET" : "POST") };
}

/** The curl lines of the README's sandbox section: the shell block that talks to /sandbox. */
function readmeWalkthrough(): CurlRequest[] {
  const section = readme.slice(readme.indexOf("## The sandbox"), readme.indexOf("\n## ", readme.indexOf("## The sandbox") + 1));
  const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, text]) => text!).find((text) => text.includes("/sandbox/"));
  if (!block) throw new Error("README.md's sandbox section has no ```sh block with the /sandbox curl walkthrough");
  return shellCommands(block).map(curlRequest);
}

interface Sent {
  request: CurlRequest;
  status: number;
  body: any;
}

/** `npm start` as package.json has it, from an empty working directory (no .env, no config file). */
async function startSandbox(port: number, workDir: string): Promise<ChildProcess> {
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { start: string } };
  const [program, ...args] = manifest.scripts.start.split(" ");
  expect(program).toBe("node");
  // Paths in the script are the package's; --import resolves from the working directory, so it
  // gets tsx's resolved URL.
  const resolved = args.map((arg) => (arg === "tsx" ? import.meta.resolve("tsx") : arg.endsWith(".ts") ? path.join(root, arg) : arg));
  const child = spawn(process.execPath, resolved, {
    cwd: workDir,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DATABASE_URL: `file:${path.join(workDir, "sandbox.db")}`,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  // The banner's last line: the sandbox is attached and the demo customer has opened the bot.
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no banner within 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Press Ctrl-C to stop.")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  await ready;
  return child;
}

/** The next Monday at least a day ahead, at `utcTime` (HH:MM). */
function nextMondayAt(utcTime: string): Date {
  const [hours, minutes] = utcTime.split(":").map(Number) as [number, number];
  const day = new Date(Date.now() + 24 * 3_600_000);
  day.setUTCHours(hours, minutes, 0, 0);
  while (day.getUTCDay() !== 1) day.setUTCDate(day.getUTCDate() + 1);
  return day;
}

const walkthrough = readmeWalkthrough();

/**
 * Berlin (the example config's time zone) is UTC+1 or UTC+2: these UTC times are in the contact
 * hours (09:00-21:00) or outside them either way.
 */
const momentsOfTheDay = [
  { name: "in the morning", utc: "08:30", contactHours: true },
  { name: "in the evening", utc: "18:30", contactHours: true },
  { name: "at night", utc: "01:00", contactHours: false },
];

describe("the README's sandbox walkthrough", () => {
  it("is found in the README: an order, Anna's messages, taps, a text and the clock, all on npm start's address", () => {
    const paths = walkthrough.map((request) => `${request.method} ${request.url.replace(readmeBase, "")}`);
    expect(paths.slice(0, 2)).toEqual(["POST /api/v1/orders", "GET /sandbox/customers/100000001/messages"]);
    const taps = paths.slice(2, -4);
    expect(taps.length).toBeGreaterThan(0);
    expect(new Set(taps)).toEqual(new Set(["POST /sandbox/customers/100000001/tap"]));
    expect(paths.slice(-4)).toEqual(["POST /sandbox/customers/100000001/messages", ...Array(3).fill("POST /sandbox/clock")]);
    expect(walkthrough.filter((request) => !request.url.startsWith(`${readmeBase}/`))).toEqual([]);
  });

  for (const moment of momentsOfTheDay) {
    describe(moment.name, () => {
      let sandbox: ChildProcess;
      let workDir: string;
      let base: string;
      const send = async (request: CurlRequest): Promise<Sent> => {
        const response = await fetch(request.url.replace(readmeBase, base), {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        const text = await response.text();
        return { request, status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text };
      };
      const expectOk = (sent: Sent) => expect(sent.status, `${sent.request.line}\n-> ${JSON.stringify(sent.body)}`).toBeLessThan(300);

      beforeAll(async () => {
        workDir = mkdtempSync(path.join(tmpdir(), "og-readme-"));
        const port = await freePort();
        sandbox = await startSandbox(port, workDir);
        base = `http://127.0.0.1:${port}`;
        const pinned = await fetch(`${base}/sandbox/clock`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ to: nextMondayAt(moment.utc).toISOString() }),
        });
        expect(pinned.status).toBe(200);
      }, 90_000);
      afterAll(async () => {
        if (sandbox && sandbox.exitCode === null) {
          const exited = new Promise((resolve) => sandbox.once("exit", resolve));
          sandbox.kill("SIGTERM");
          await exited;
        }
        if (workDir) rmSync(workDir, { recursive: true, force: true });
      });

      it("works as written: Anna gets the read-back, picks a day and a window, confirms; the clock moves", async () => {
        const [create, messages, ...rest] = walkthrough as [CurlRequest, CurlRequest, ...CurlRequest[]];
        const created = await send(create);
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        expect(created.body).toMatchObject({ externalId: "DEMO-1", state: "awaiting_customer" });

        if (!moment.contactHours) {
          // "At night ... the bot's first message waits for the opening: move the clock with {"next":true}".
          const schedule = await send({ ...messages, url: `${readmeBase}/sandbox/schedule` });
          expect(schedule.body.held).toContainEqual(expect.objectContaining({ externalId: "DEMO-1", what: "order.read_back" }));
          const next = rest.find((request) => request.url.endsWith("/sandbox/clock") && request.body === '{"next":true}');
          expect(next, 'the README\'s {"next":true} clock line').toBeDefined();
          const moved = await send(next!);
          expectOk(moved);
          expect(moved.body.reason).toBe("next: telegram order.read_back (DEMO-1)");
        }

        // What Anna sees: the read-back arrives from the outbox a moment after the order.
        let seen: Sent | undefined;
        await expect
          .poll(
            async () => {
              seen = await send(messages);
              return (seen.body.messages as Array<{ from: string; text: string }>).some(
                (m) => m.from === "bot" && m.text.includes("Order DEMO-1"),
              );
            },
            { timeout: 15_000 },
          )
          .toBe(true);
        expectOk(seen!);

        for (const request of rest) {
          const sent = await send(request);
          expectOk(sent);
          if (request.url.endsWith("/tap")) expect(sent.body.botMessages, request.line).not.toEqual([]);
        }

        const order = await send({ ...create, method: "GET", url: `${readmeBase}/api/v1/orders/${created.body.id}`, body: undefined });
        expectOk(order);
        expect(order.body).toMatchObject({ externalId: "DEMO-1", state: "confirmed", delivery: { window: "14:00-18:00" } });
        expect(order.body.delivery.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }, 120_000);
    });
  }

  it("reads curl lines as a shell would: quotes spanning lines, continuations, comments", () => {
    expect(shellCommands("# a comment\ncurl -s -X POST http://x/a \\\n  -d '{\"a\":\n 1}'\ncurl http://x/b # why\n")).toEqual([
      ["curl", "-s", "-X", "POST", "http://x/a", "-d", '{"a":\n 1}'],
      ["curl", "http://x/b"],
    ]);
    expect(() => shellCommands("curl http://x/$HOST")).toThrow("does not expand");
    expect(() => curlRequest(["curl", "-k", "http://x"])).toThrow("-k is not supported");
  });
});
