import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/create-prisma-client.js";
import { countOpenHandoffs } from "../db/handoff-repository.js";
import type { OutboxChannel } from "../outbox/outbox-message.js";
import { outboxBacklog } from "../outbox/outbox-queries.js";
import { jobBacklog } from "../scheduler/job-queries.js";
import { businessEvents } from "../services/business-events.js";
import type { Clock } from "../shared/clock.js";
import type { OperationsMetrics } from "../shared/operations-metrics.js";

export interface PrometheusMetricsOptions {
  db: Db;
  /** The app's clock: ages are measured against it, as the rows' times are written with it. */
  clock: Clock;
  outboxChannels: readonly OutboxChannel[];
  /** The scheduler's job kinds, shown at 0 when none waits (read at each scrape). */
  jobKinds: () => readonly string[];
}

export interface PrometheusMetrics {
  /** What the services, the bot and the outbox report to (ServiceDependencies.metrics). */
  recorder: OperationsMetrics;
  /** This app's own registry: several apps in one process (tests) do not share their numbers. */
  registry: Registry;
  /** One scrape in Prometheus's text format; the database gauges are read now. Rejects when the database does not answer. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** The dialog step's latency buckets (seconds): a tap is answered within a second or it feels slow. */
const dialogStepBuckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * ordergram's metrics for Prometheus (README, "Metrics"). Counters are counted where the thing
 * happens (through `recorder`); what the database holds (the outbox, the jobs, the handoffs) is
 * read when Prometheus scrapes, by the gauges' collect(), so it is never stale and costs nothing
 * between scrapes.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): PrometheusMetrics {
  const { db, clock } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const ageSeconds = (since: Date | null) => (since ? Math.max(0, (clock.now().getTime() - since.getTime()) / 1000) : 0);

  const telegramSends = new Counter({
    name: "ordergram_telegram_sends_total",
    help:
      "Telegram Bot API calls that send or change something (all but get*), each attempt, by method and result " +
      "(ok, 429, 403, 4xx, 5xx, network, error).",
    labelNames: ["method", "result"] as const,
    registers: [registry],
  });
  const webhookFailures = new Counter({
    name: "ordergram_webhook_failures_total",
    help: "Failed webhook deliveries to the shop: retried (another attempt follows) or given_up (failed for good).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const dialogSteps = new Histogram({
    name: "ordergram_dialog_step_duration_seconds",
    help:
      "A customer's dialog step (a tap, a form's answer) from its handling to the answer on the customer's screen, " +
      "by command and outcome.",
    labelNames: ["command", "outcome"] as const,
    buckets: dialogStepBuckets,
    registers: [registry],
  });
  const businessEventCount = new Counter({
    name: "ordergram_business_events_total",
    help: "Business events of orders, as logged with their event field (order.received, order.confirmed...).",
    labelNames: ["event"] as const,
    registers: [registry],
  });
  for (const outcome of ["retried", "given_up"]) webhookFailures.labels(outcome).inc(0);
  for (const event of businessEvents) businessEventCount.labels(event).inc(0);

  // The three outbox gauges are read by one set of queries per scrape.
  const readOutbox = oncePerScrape(() => outboxBacklog(db, clock.now(), options.outboxChannels));
  const outboxGauge = (name: string, help: string, value: (row: Awaited<ReturnType<typeof readOutbox>>[number]) => number) => {
    const gauge: Gauge<"channel"> = new Gauge({
      name,
      help,
      labelNames: ["channel"] as const,
      registers: [registry],
      async collect() {
        for (const row of await readOutbox()) gauge.labels(row.channel).set(value(row));
      },
    });
  };
  outboxGauge(
    "ordergram_outbox_depth",
    "Outbox messages due and not delivered yet (due, being sent, or being retried), by channel.",
    (row) => row.due,
  );
  outboxGauge(
    "ordergram_outbox_scheduled",
    "Outbox messages held for later and never tried (contact hours, delays), by channel.",
    (row) => row.scheduled,
  );
  outboxGauge(
    "ordergram_outbox_oldest_age_seconds",
    "How long the longest-waiting due outbox message has waited (since due, or since written once retried); 0 when none waits.",
    (row) => ageSeconds(row.oldestWaitingSince),
  );

  const readJobs = oncePerScrape(async () => {
    const rows = await jobBacklog(db, clock.now());
    const empty = options.jobKinds().filter((kind) => !rows.some((row) => row.kind === kind));
    return [...rows, ...empty.map((kind) => ({ kind, due: 0, scheduled: 0, oldestDueAt: null }))];
  });
  const jobGauge = (name: string, help: string, value: (row: Awaited<ReturnType<typeof readJobs>>[number]) => number) => {
    const gauge: Gauge<"kind"> = new Gauge({
      name,
      help,
      labelNames: ["kind"] as const,
      registers: [registry],
      async collect() {
        const rows = await readJobs();
        // A kind that was only found in the database (an older version's) goes when its jobs do.
        gauge.reset();
        for (const row of rows) gauge.labels(row.kind).set(value(row));
      },
    });
  };
  jobGauge("ordergram_jobs_due", "Scheduler jobs due by now and not done (waiting for a runner, or running), by kind.", (row) => row.due);
  jobGauge("ordergram_jobs_scheduled", "Scheduler jobs waiting for their time, by kind.", (row) => row.scheduled);
  jobGauge(
    "ordergram_jobs_oldest_due_age_seconds",
    "How long the longest-overdue job no runner has taken is past its due time, by kind; 0 when none is.",
    (row) => ageSeconds(row.oldestDueAt),
  );

  const handoffs: Gauge<"state"> = new Gauge({
    name: "ordergram_handoffs_open",
    help: "Customer chats handed to a person and not handed back or closed, by state (waiting for a manager, taken).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const open = await countOpenHandoffs(db);
      for (const state of ["waiting", "taken"] as const) handoffs.labels(state).set(open[state]);
    },
  });

  const recorder: OperationsMetrics = {
    telegramCall: (method, result) => telegramSends.labels(method, result).inc(),
    webhookFailed: (final) => webhookFailures.labels(final ? "given_up" : "retried").inc(),
    dialogStep: (command) => {
      const end = dialogSteps.startTimer({ command });
      return (outcome) => void end({ outcome });
    },
    businessEvent: (event) => businessEventCount.labels(event).inc(),
  };

  return {
    recorder,
    registry,
    scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

/**
 * A read shared by the gauges of one scrape: the registry calls their collect() together, so the
 * first starts the read and the others wait for the same one; the next scrape reads afresh.
 */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = null;
    }));
}
