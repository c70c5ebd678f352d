import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseEnv } from "../../src/config/load-config.js";
import { envSchema } from "../../src/config/env-schema.js";
import { readDockerfile } from "../support/dockerfile.js";

/**
 * The deployment files (Dockerfile, compose.yaml, the systemd unit) cannot be run here: no image
 * registry or Docker daemon is reachable. What they run is tested (test/hosting/package-build.test.ts
 * starts the built dist/main.js and runs the image's HEALTHCHECK against it); this checks that the
 * files point at what exists and name only variables ordergram reads, so they cannot drift from it.
 */

const root = path.resolve(import.meta.dirname, "../..");
const knownVariables = new Set(Object.keys(envSchema.shape));

interface ComposeService {
  build?: string;
  image?: string;
  env_file?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = parseYaml(readFileSync(path.join(root, "compose.yaml"), "utf8")) as { services: Record<string, ComposeService> };

/** Compose's `${NAME:?message}` and `${NAME}` filled in as compose would, from `values`. */
const interpolate = (text: string, values: Record<string, string>) =>
  text.replace(/\$\{([A-Z_]+)(?::[?-][^}]*)?\}/g, (_, name: string) => values[name] ?? "");

describe("the Dockerfile", () => {
  const instructions = readDockerfile(root);
  const runtime = instructions.filter((i) => i.stage === "runtime");

  it("builds with npm ci and npm run build, and the runtime stage runs the built main.js as a non-root user", () => {
    const build = instructions.filter((i) => i.stage === "build").map((i) => i.args);
    expect(build).toContainEqual(expect.stringContaining("npm ci"));
    expect(build).toContainEqual(expect.stringContaining("npm run build"));
    expect(build).toContainEqual(expect.stringContaining("npm prune --omit=dev"));
    const user = runtime.filter((i) => i.keyword === "USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime.find((i) => i.keyword === "CMD")?.args).toBe('["node", "dist/main.js"]');
    expect(runtime.find((i) => i.keyword === "HEALTHCHECK")?.args).toContain("/healthz");
  });

  it("copies into the image only what exists in the repository or the build makes", () => {
    const builtByTheImage = new Set(["node_modules", "dist"]);
    const copied = runtime
      .filter((i) => i.keyword === "COPY")
      .flatMap((i) => i.args.split(" ").filter((word) => word.startsWith("/app/")))
      .map((source) => source.slice("/app/".length));
    expect(copied).toEqual(expect.arrayContaining(["dist", "node_modules", "prisma", "ordergram.config.example.yaml"]));
    expect(copied.filter((source) => !builtByTheImage.has(source) && !existsSync(path.join(root, source)))).toEqual([]);
  });

  it("sets only environment variables ordergram reads, with values it accepts", () => {
    const env = runtime
      .filter((i) => i.keyword === "ENV")
      .flatMap((i) => [...i.args.matchAll(/([A-Z_]+)=(\S+)/g)].map(([, name, value]) => [name!, value!] as const));
    const own = env.filter(([name]) => name !== "NODE_ENV");
    expect(own.map(([name]) => name).filter((name) => !knownVariables.has(name))).toEqual([]);
    expect(parseEnv(Object.fromEntries(own))).toMatchObject({ HOST: "0.0.0.0", PORT: 3000 });
  });
});

describe("compose.yaml", () => {
  const { ordergram, postgres, redis } = compose.services;

  it("runs ordergram built from this repository next to PostgreSQL and Redis, once both are healthy", () => {
    expect(ordergram?.build).toBe(".");
    expect(ordergram?.env_file).toBe(".env");
    expect(postgres?.image).toMatch(/^postgres:/);
    expect(redis?.image).toMatch(/^redis:/);
    expect(postgres?.healthcheck?.test.join(" ")).toContain("pg_isready");
    expect(ordergram?.depends_on).toEqual({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });
  });

  it("gives ordergram only variables it reads, whose values pass its environment validation", () => {
    const environment = ordergram?.environment ?? {};
    expect(Object.keys(environment).filter((name) => !knownVariables.has(name))).toEqual([]);
    const filledIn = Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [name, interpolate(value, { POSTGRES_PASSWORD: "a-password" })]),
    );
    const env = parseEnv(filledIn);
    expect(env.DATABASE_URL).toBe("postgres://ordergram:a-password@postgres:5432/ordergram");
    expect(env.REDIS_URL).toBe("redis://redis:6379");
    // The database ordergram is given is the one the postgres service creates.
    expect(postgres?.environment).toMatchObject({ POSTGRES_USER: "ordergram", POSTGRES_DB: "ordergram" });
    // The config file it is pointed at is inside a mounted folder.
    const mounts = (ordergram?.volumes ?? []).map((volume) => volume.split(":")[1]!);
    expect(mounts.some((target) => env.ORDERGRAM_CONFIG?.startsWith(`${target}/`))).toBe(true);
  });
});

describe("the systemd unit (docs/deploy/ordergram.service)", () => {
  const unit = readFileSync(path.join(root, "docs/deploy/ordergram.service"), "utf8");
  const setting = (key: string) => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map(([, value]) => value!);

  it("runs the built main.js as its own user, reloads the config on SIGHUP and stops with SIGTERM", () => {
    expect(setting("ExecStart")).toEqual([expect.stringMatching(/\/node dist\/main\.js$/)]);
    expect(setting("User")).toEqual(["ordergram"]);
    expect(setting("ExecReload")).toEqual(["/bin/kill -HUP $MAINPID"]);
    expect(setting("KillSignal")).toEqual(["SIGTERM"]);
    // The only folder it may write holds the default SQLite file (file:./data/ordergram.db).
    expect(setting("ReadWritePaths")).toEqual([`${setting("WorkingDirectory")[0]}/data`]);
  });
});
