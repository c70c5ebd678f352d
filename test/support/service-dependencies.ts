import { readFileSync } from "node:fs";
import { exampleConfigPath, parseConfigFile } from "../../src/config/load-config.js";
import type { Db } from "../../src/db/create-prisma-client.js";
import type { ServiceDependencies } from "../../src/services/service-dependencies.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import { noOperationsMetrics } from "../../src/shared/operations-metrics.js";

/** The use cases' dependencies on a test database, with the shipped example config and a manual clock. */
export function testServiceDependencies(db: Db, overrides: Partial<ServiceDependencies> = {}): ServiceDependencies & { kicks: number } {
  const config = parseConfigFile(readFileSync(exampleConfigPath, "utf8"), "example");
  const deps = {
    db,
    clock: new ManualClock("2026-11-23T10:00:00Z"),
    logger: createLogger({ level: "silent" }),
    metrics: noOperationsMetrics,
    config: () => config,
    botUsername: "test_shop_bot",
    kicks: 0,
    outbox: { kick: () => void deps.kicks++, deliverNow: async () => {} },
    ...overrides,
  };
  return deps;
}
