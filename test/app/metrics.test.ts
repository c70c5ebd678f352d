import { afterEach, describe, expect, it } from "vitest";
import { apiToken, startHarness, type Harness } from "../support/app-harness.js";
import { captureLogs, type LogLine } from "../support/captured-logs.js";
import { openOrderDialog } from "../support/order-payload.js";
import { sample } from "../support/prometheus-text.js";
import { postgresServerUrl } from "../support/test-database.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Scrapes until `ready` holds for the text (what the outbox does happens in the background). */
async function scrapeUntil(h: Harness, ready: (text: string) => boolean): Promise<string> {
  let text = "";
  await expect
    .poll(
      async () => {
        text = (await h.scrapeMetrics()).text;
        return ready(text);
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  return text;
}

const businessLines = (lines: LogLine[], externalId: string) =>
  lines.filter((line) => line.externalId === externalId).map((line) => ({ event: line.event, orderId: line.orderId }));

describe("metrics for the people who run ordergram", () => {
  it("shows the sends, the dialog step, the outbox and the business events after a customer confirmed", async () => {
    const logs = captureLogs();
    const h = (harness = await startHarness({ logger: logs.logger }));
    const { order, customer } = await openOrderDialog(h);
    await customer.tapButton("✅ Confirm");
    await h.webhooks.waitFor("order.confirmed", { orderId: order.id });
    const status = await h.api("POST", `/orders/${order.id}/status`, { status: "shipped" });
    expect(status.body).toMatchObject({ changed: true, messaged: true });
    await customer.waitForMessage();
    await h.app.drain();

    const scrape = await h.scrapeMetrics();
    expect(scrape.status).toBe(200);
    const text = scrape.text;
    // The read-back, the confirmed summary in its place, the status message: all accepted.
    expect(sample(text, "ordergram_telegram_sends_total", { method: "sendMessage", result: "ok" })).toBeGreaterThanOrEqual(2);
    expect(sample(text, "ordergram_telegram_sends_total", { method: "sendMessage", result: "403" })).toBeUndefined();
    expect(sample(text, "ordergram_dialog_step_duration_seconds_count", { command: "confirm", outcome: "accepted" })).toBe(1);
    expect(sample(text, "ordergram_dialog_step_duration_seconds_sum", { command: "confirm", outcome: "accepted" })).toBeGreaterThan(0);
    for (const channel of ["telegram", "webhook"]) {
      expect(sample(text, "ordergram_outbox_depth", { channel })).toBe(0);
      expect(sample(text, "ordergram_outbox_oldest_age_seconds", { channel })).toBe(0);
    }
    // The confirmation scheduled the delivery reminder and the rest of the follow-ups.
    expect(sample(text, "ordergram_jobs_scheduled", { kind: "delivery.reminder" })).toBe(1);
    expect(sample(text, "ordergram_jobs_due", { kind: "delivery.reminder" })).toBe(0);
    expect(sample(text, "ordergram_handoffs_open", { state: "waiting" })).toBe(0);
    expect(sample(text, "ordergram_webhook_failures_total", { outcome: "retried" })).toBe(0);
    for (const [event, count] of [
      ["order.received", 1],
      ["order.read_back", 1],
      ["order.confirmed", 1],
      ["order.status_sent", 1],
      ["order.cancelled", 0],
    ] as const)
      expect(sample(text, "ordergram_business_events_total", { event })).toBe(count);
    expect(text).toContain("# TYPE process_cpu_seconds_total counter");

    // One line per business event, each naming the order both ways: grep for the shop's id follows it.
    expect(businessLines(logs.lines, order.externalId)).toEqual([
      { event: "order.received", orderId: order.id },
      { event: "order.read_back", orderId: order.id },
      { event: "order.confirmed", orderId: order.id },
      { event: "order.status_sent", orderId: order.id },
    ]);
    expect(logs.lines.find((line) => line.event === "order.status_sent")).toMatchObject({ status: "shipped", level: 30 });
  });

  it("counts a webhook the shop refused and a customer who blocked the bot, and logs both with the order", async () => {
    const logs = captureLogs();
    const h = (harness = await startHarness({ logger: logs.logger }));

    const boris = await openOrderDialog(h);
    h.webhooks.responses = [500];
    await boris.customer.tapButton("✅ Confirm");
    // Retried in 30 s: meanwhile it waits in the outbox.
    let text = await scrapeUntil(h, (t) => sample(t, "ordergram_webhook_failures_total", { outcome: "retried" }) === 1);
    expect(sample(text, "ordergram_outbox_depth", { channel: "webhook" })).toBe(1);
    expect(sample(text, "ordergram_outbox_oldest_age_seconds", { channel: "webhook" })).toBeGreaterThan(0);
    expect(sample(text, "ordergram_webhook_failures_total", { outcome: "given_up" })).toBe(0);
    expect(logs.lines.find((line) => line.event === "order.webhook_failed")).toMatchObject({
      orderId: boris.order.id,
      externalId: boris.order.externalId,
      webhook: "order.confirmed",
      attempt: 1,
      final: false,
      error: expect.stringContaining("HTTP 500"),
      level: 40,
    });

    const clara = await openOrderDialog(h);
    await clara.customer.tapButton("✅ Confirm");
    await h.webhooks.waitFor("order.confirmed", { orderId: clara.order.id });
    clara.customer.block();
    expect((await h.api("POST", `/orders/${clara.order.id}/status`, { status: "shipped" })).status).toBe(200);
    // Telegram's 403 makes the customer unreachable and gives the order to a person.
    text = await scrapeUntil(h, (t) => sample(t, "ordergram_handoffs_open", { state: "waiting" }) === 1);
    expect(sample(text, "ordergram_telegram_sends_total", { method: "sendMessage", result: "403" })).toBe(1);
    expect(sample(text, "ordergram_business_events_total", { event: "order.escalated" })).toBe(1);
    expect(sample(text, "ordergram_business_events_total", { event: "order.status_sent" })).toBe(0);
    expect(businessLines(logs.lines, clara.order.externalId)).toEqual([
      { event: "order.received", orderId: clara.order.id },
      { event: "order.read_back", orderId: clara.order.id },
      { event: "order.confirmed", orderId: clara.order.id },
      { event: "order.escalated", orderId: clara.order.id },
    ]);
    expect(logs.lines.find((line) => line.event === "order.escalated")).toMatchObject({ reason: "unreachable" });
  });

  it("refuses a scrape without the token, with a wrong one, and with the API token once a metrics token is set", async () => {
    const h = (harness = await startHarness());
    for (const token of [null, "not-the-token-at-all"]) {
      const refused = await h.scrapeMetrics(token);
      expect(refused.status).toBe(401);
      expect(refused.text).not.toContain("ordergram_");
    }
    expect((await h.scrapeMetrics()).status).toBe(200);
    await h.close();

    const metricsToken = "prometheus-scrape-token-0123";
    harness = await startHarness({ env: { ORDERGRAM_METRICS_TOKEN: metricsToken } });
    const withApiToken = await harness.scrapeMetrics(apiToken);
    expect(withApiToken.status).toBe(401);
    expect(JSON.parse(withApiToken.text)).toMatchObject({
      error: { code: "UNAUTHORIZED", message: expect.stringContaining("ORDERGRAM_METRICS_TOKEN") },
    });
    const allowed = await harness.scrapeMetrics(metricsToken);
    expect(allowed.status).toBe(200);
    expect(sample(allowed.text, "ordergram_outbox_depth", { channel: "telegram" })).toBe(0);
  });

  it.skipIf(!postgresServerUrl())("reads the outbox, the jobs and the handoffs from PostgreSQL as from SQLite", async () => {
    const h = (harness = await startHarness({ provider: "postgresql" }));
    const { customer } = await openOrderDialog(h);
    await customer.tapButton("🙋 Talk to a person");
    await h.app.drain();
    const text = await scrapeUntil(h, (t) => sample(t, "ordergram_handoffs_open", { state: "waiting" }) === 1);
    expect(sample(text, "ordergram_outbox_depth", { channel: "telegram" })).toBe(0);
    const scheduledJobs = await h.database.db.job.count({ where: { status: "pending", dueAt: { gt: h.app.services.clock.now() } } });
    expect(scheduledJobs).toBeGreaterThan(0);
    const kinds = [...text.matchAll(/^ordergram_jobs_scheduled\{kind="([^"]+)"\} /gm)].map((m) => m[1]!);
    expect(kinds.reduce((sum, kind) => sum + sample(text, "ordergram_jobs_scheduled", { kind })!, 0)).toBe(scheduledJobs);
    expect(sample(text, "ordergram_dialog_step_duration_seconds_count", { command: "request_human", outcome: "accepted" })).toBe(1);
    expect(sample(text, "ordergram_business_events_total", { event: "order.escalated" })).toBe(1);
  });
});
