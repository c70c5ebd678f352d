// The stand-in as a process of its own, for load tests and benchmarks that must not share a CPU
// core's event loop with the bot they measure:
//
//   node --import tsx src/telegram-standin/standalone.ts [--flood-limits] [--port N] [--control-port N] [--exit-with-stdin]
//
// Prints one JSON line on stdout, {"apiUrl": ..., "controlUrl": ..., "pid": ...}, once both servers
// listen: apiUrl is the Bot API (grammY's apiRoot), controlUrl the control channel
// (control-server.ts). Listens on 127.0.0.1 only. Stops on SIGTERM/SIGINT, on POST /shutdown, and
// with --exit-with-stdin when its standard input closes (the parent died).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { createControlApp } from "./control-server.js";
import { keepConnectionsOpen, startTelegramStandin } from "./server.js";

const { values } = parseArgs({
  options: {
    "flood-limits": { type: "boolean", default: false },
    port: { type: "string", default: "0" },
    "control-port": { type: "string", default: "0" },
    "exit-with-stdin": { type: "boolean", default: false },
  },
  strict: true,
});

const port = (text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`not a port: ${text}`);
  return value;
};

const standin = await startTelegramStandin({ port: port(values.port), floodLimits: values["flood-limits"] });
const control = createControlApp(standin);
let stopping: Promise<void> | undefined;
const stop = () =>
  (stopping ??= (async () => {
    control.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await standin.close();
    process.exit(0);
  })());

control.app.post("/shutdown", (c) => {
  setImmediate(() => void stop());
  return c.json({ ok: true });
});
const server = await new Promise<Server>((resolve, reject) => {
  const started = serve({ fetch: control.app.fetch, port: port(values["control-port"]), hostname: "127.0.0.1" }, () =>
    resolve(started as Server),
  );
  started.once("error", reject);
});
keepConnectionsOpen(server);

process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
if (values["exit-with-stdin"]) {
  process.stdin.on("end", () => void stop());
  process.stdin.on("close", () => void stop());
  process.stdin.resume();
}

const controlPort = (server.address() as AddressInfo).port;
process.stdout.write(`${JSON.stringify({ apiUrl: standin.url, controlUrl: `http://127.0.0.1:${controlPort}`, pid: process.pid })}\n`);
