import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { acquireInstanceLock, InstanceLockError } from "../../src/db/sqlite-instance-lock.js";

const lockModule = path.resolve(import.meta.dirname, "../../src/db/sqlite-instance-lock.ts");

function newDatabase(): { dir: string; database: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "ordergram-lock-"));
  const database = path.join(dir, "shop.db");
  writeFileSync(database, "");
  return { dir, database };
}

/** Another ordergram process holding the lock, with the host name a container elsewhere would have. */
async function holderOnAnotherHost(database: string, host: string): Promise<ChildProcess> {
  const script = `
    const { acquireInstanceLock } = await import(${JSON.stringify(lockModule)});
    acquireInstanceLock(${JSON.stringify(`file:${database}`)}, new Date(), { host: ${JSON.stringify(host)} });
    console.log("held");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (out += chunk));
  while (!out.includes("held")) {
    const [exited] = await Promise.race([once(child.stdout, "data"), once(child, "exit").then(() => ["exit"])]);
    if (exited === "exit") throw new Error("the holder process ended before it took the lock");
  }
  return child;
}

describe("SQLite instance lock", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
  });

  it("should refuse a second instance that reaches the same database through a symlink", () => {
    const { dir, database } = newDatabase();
    const link = path.join(dir, "link.db");
    symlinkSync(database, link);
    const first = acquireInstanceLock(`file:${database}`, new Date());
    try {
      expect(() => acquireInstanceLock(`file:${link}`, new Date())).toThrow(InstanceLockError);
    } finally {
      first?.release();
    }
  });

  it("should refuse a second instance through a symlink to a database file not created yet", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ordergram-lock-"));
    const link = path.join(dir, "link.db");
    symlinkSync(path.join(dir, "shop.db"), link);
    const first = acquireInstanceLock(`file:${link}`, new Date());
    try {
      expect(() => acquireInstanceLock(`file:${path.join(dir, "shop.db")}`, new Date())).toThrow(InstanceLockError);
    } finally {
      first?.release();
    }
  });

  it("should start at once over a lock that a killed instance on another host left", async () => {
    const { database } = newDatabase();
    const dead = await holderOnAnotherHost(database, "container-before-recreate");
    dead.kill("SIGKILL");
    await once(dead, "exit");
    // What the dead one left behind: its owner file and the lock file.
    expect(JSON.parse(readFileSync(`${database}.instance.json`, "utf8")).host).toBe("container-before-recreate");

    const lock = acquireInstanceLock(`file:${database}`, new Date(), { host: "container-after-recreate" });
    try {
      expect(JSON.parse(readFileSync(`${database}.instance.json`, "utf8")).host).toBe("container-after-recreate");
    } finally {
      lock?.release();
    }
  });

  it("should refuse a second instance while one on another host runs, naming that host", async () => {
    const { database } = newDatabase();
    const live = await holderOnAnotherHost(database, "shop-server-2");
    children.push(live);
    expect(() => acquireInstanceLock(`file:${database}`, new Date())).toThrow(
      expect.objectContaining({
        name: "InstanceLockError",
        message: expect.stringMatching(/in use by another ordergram instance on host shop-server-2 \(pid \d+/),
      }),
    );
  });

  it("should take over a JSON lock file an older ordergram left", () => {
    const { database } = newDatabase();
    writeFileSync(`${database}.instance.lock`, JSON.stringify({ pid: 1, host: "old-container", startedAt: "2024-01-01T00:00:00.000Z" }));
    const lock = acquireInstanceLock(`file:${database}`, new Date());
    expect(lock).not.toBeNull();
    lock?.release();
  });

  it("should let the next instance start after the first one released the lock", () => {
    const { database } = newDatabase();
    acquireInstanceLock(`file:${database}`, new Date())?.release();
    const second = acquireInstanceLock(`file:${database}`, new Date());
    expect(second).not.toBeNull();
    second?.release();
  });
});
