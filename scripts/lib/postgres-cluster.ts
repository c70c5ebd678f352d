// A throw-away PostgreSQL cluster on 127.0.0.1, built from the local server binaries (Debian's
// `postgresql` package). Used by the test suite's global setup and by `npm run db:migrate:new`
// (which needs a real server for its PostgreSQL shadow database).
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
}

export interface PostgresCluster {
  /** Superuser URL of the cluster's `postgres` database (trust auth, no password). */
  url: string;
  dir: string;
  /** Stops the server and removes its files. Idempotent. */
  stop(): Promise<void>;
}

/** initdb and pg_ctl from PATH, else from the newest /usr/lib/postgresql/<version>/bin. */
export function findPostgresBinaries(): PostgresBinaries | null {
  const candidates = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const debianRoot = "/usr/lib/postgresql";
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(debianRoot, version, "bin")));
  }
  for (const dir of candidates) {
    const initdb = path.join(dir, "initdb");
    const pgCtl = path.join(dir, "pg_ctl");
    if (existsSync(initdb) && existsSync(pgCtl)) return { initdb, pgCtl };
  }
  return null;
}

/**
 * PostgreSQL refuses to run as root. When we are root, run the server binaries as the `postgres`
 * OS user the Debian package creates (else `nobody`), through runuser.
 */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
      return { name, uid, gid };
    } catch {
      // no such user: try the next one
    }
  }
  throw new Error("running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startPostgresCluster(binaries: PostgresBinaries | null = findPostgresBinaries()): Promise<PostgresCluster> {
  if (!binaries) throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql");
  const user = serverUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), "ordergram-pg-"));
  // mkdtemp makes the directory 0700 for us; the server user must own it.
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  // The server user may not be allowed into our working directory, so run from the cluster's.
  const exec = (file: string, args: string[]) =>
    run(user ? "runuser" : file, user ? ["-u", user.name, "--", file, ...args] : args, {
      cwd: dir,
      env: { ...process.env, LC_ALL: "C.UTF-8" },
    });

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(
        user ? "runuser" : binaries.pgCtl,
        [...(user ? ["-u", user.name, "--", binaries.pgCtl] : []), "stop", "-D", dataDir, "-m", "immediate", "-w"],
        {
          cwd: dir,
          stdio: "ignore",
        },
      );
    } catch {
      // not running (start failed, or already stopped)
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Don't leave a server behind when the process exits without calling stop() (Ctrl-C, a crash).
  process.once("exit", stopSync);

  try {
    await exec(binaries.initdb, ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
    // A just-freed port can be taken before the server binds it: retry with another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        "-c listen_addresses=127.0.0.1",
        `-c unix_socket_directories=${dir}`,
        // A throw-away cluster: durability buys nothing, speed does.
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
      ].join(" ");
      try {
        await exec(binaries.pgCtl, ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", options]);
        return {
          url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
          dir,
          stop: async () => {
            process.removeListener("exit", stopSync);
            stopSync();
          },
        };
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n") : "";
    process.removeListener("exit", stopSync);
    stopSync();
    const details = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`could not start a PostgreSQL cluster: ${(error as Error).message}\n${details}\n${log}`.trim(), { cause: error });
  }
}
