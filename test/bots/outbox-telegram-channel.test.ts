import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enqueueOutbox } from "../../src/outbox/enqueue-outbox.js";
import type { JsonValue } from "../../src/outbox/outbox-message.js";
import { intentRegistry } from "../../src/bots/intent-registry.js";
import { handoffIntentSchemas } from "../../src/services/handoff/handoff-intents.js";
import { notificationIntentSchemas } from "../../src/services/notification-intents.js";
import { returnIntentSchemas } from "../../src/services/returns/return-intent.js";
import { orderIntentSchemas } from "../../src/services/telegram-intents.js";
import { createTimelineRig, type TimelineRig } from "../support/timeline-rig.js";

// The outbox's Telegram channel routes each stored intent by its `kind` to the registry: a row it
// cannot send (a kind nobody registered, a payload its kind's schema refuses) fails at once, with
// the kind named, and is never retried or sent.
describe("the outbox's Telegram channel", () => {
  let rig: TimelineRig;
  beforeAll(async () => {
    rig = await createTimelineRig();
  });
  afterAll(async () => {
    await rig.close();
  });
  beforeEach(async () => {
    await rig.reset(new Date("2026-12-01T10:00:00Z"));
  });

  async function deliver(intent: JsonValue) {
    const key = `test:${JSON.stringify(intent)}`;
    await rig.deps.db.$transaction((tx) =>
      enqueueOutbox(tx, { channel: "telegram", chatId: 4242n, intent }, { idempotencyKey: key, now: rig.clock.now() }),
    );
    await rig.settle();
    return rig.deps.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: key } });
  }

  it("should have a sender for every kind the services enqueue, with the services' schema", () => {
    const schemas = { ...orderIntentSchemas, ...notificationIntentSchemas, ...handoffIntentSchemas, ...returnIntentSchemas };
    expect([...intentRegistry.keys()].sort()).toEqual(Object.keys(schemas).sort());
    for (const [kind, schema] of Object.entries(schemas)) expect(intentRegistry.get(kind)?.schema).toBe(schema);
  });

  it("should fail a row of an unknown kind for good, naming the kind", async () => {
    const row = await deliver({ kind: "order.read_front", orderId: "o-1" });
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("unknown Telegram intent kind");
    expect(row.lastError).toContain("order.read_front");
    expect(rig.calls).toEqual([]);
  });

  it("should fail a row without a kind for good", async () => {
    const row = await deliver({ orderId: "o-1" });
    expect(row.status).toBe("failed");
    expect(row.lastError).toContain("unknown Telegram intent kind null");
  });

  it("should fail a known kind whose payload does not match its schema for good, naming the kind and the field", async () => {
    const row = await deliver({ kind: "handoff.reping", handoffId: "h-1", n: "two" });
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("handoff.reping");
    expect(row.lastError).toContain("does not match its schema");
    expect(row.lastError).toContain("n: Invalid input: expected number, received string");
    expect(rig.calls).toEqual([]);
  });

  it("should skip, not fail, a well-formed intent about an order that does not exist", async () => {
    const row = await deliver({ kind: "order.read_back", orderId: "o-missing", reason: "new" });
    expect(row.status).toBe("skipped");
    expect(row.lastError).toContain("the order no longer exists");
  });
});
