// The timeline property test (issue 16, "How to show it"): a month of shop events for one courier
// order, generated from a seed and driven through the real services, jobs and outbox on a manual
// clock (test/support/timeline-rig.ts), with assertions on every message that would reach the
// customer:
//   - no past date is presented as expected ("Expected delivery:", "It arrives tomorrow", the
//     quiet parcel's "still expected by", a move's new date, an apology's new estimate, a reminder);
//   - "did not arrive" only after the promise's end plus notifications.promises.graceHours, and
//     never once the parcel was delivered;
//   - every status the shop posted reaches the customer exactly once, or a later status does;
//   - nothing outside contact hours, except what answers a person's own act at that moment (the
//     customer asking for a person, a manager taking or handing back the chat);
//   - a reminder before every kept courier window that was at least a day ahead when agreed.
//
// Replaying: a failure prints fast-check's seed and path, the shrunk timeline and every message the
// customer got. Run that timeline alone with
//   TIMELINE_SEED=<seed> TIMELINE_PATH=<path> npx vitest run test/properties/promise-timeline.test.ts
// or the whole run of a seed with TIMELINE_SEED alone. TIMELINE_RUNS=<n> sets how many timelines
// (default 200); TIMELINE_SEED=random draws a new seed (shown in the test's name) to explore beyond
// the fixed one; TIMELINE_SHRINK=0 reports the first failure without shrinking it.
import fc from "fast-check";
import { afterAll, beforeAll, it } from "vitest";
import { findActiveHandoff } from "../../src/db/handoff-repository.js";
import { localDate, localParts, parseTimeWindow, zonedInstant } from "../../src/domain/contact-hours.js";
import type { DeliveryFailureReason } from "../../src/domain/delivery-remedies.js";
import { formatDay } from "../../src/flows/notifications/notification-messages.js";
import { applyCustomerCommand } from "../../src/services/apply-customer-command.js";
import { endHandoff } from "../../src/services/handoff/end-handoff.js";
import { escalateChat } from "../../src/services/handoff/escalate-chat.js";
import { takeHandoff } from "../../src/services/handoff/take-handoff.js";
import type { DeliveryStatus } from "../../src/services/notification-intents.js";
import { receiveOrder } from "../../src/services/receive-order.js";
import { updateDeliveryStatus } from "../../src/services/update-delivery-status.js";
import { anOrder } from "../support/order-builder.js";
import { createTimelineRig, type RecordedCall, type TimelineRig } from "../support/timeline-rig.js";

const runs = Number(process.env.TIMELINE_RUNS ?? 200);
const seed = process.env.TIMELINE_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.TIMELINE_SEED ?? 20261216);
const path = process.env.TIMELINE_PATH;

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const timeZone = "Europe/Berlin";
const maria = { id: 1n, name: "Maria" };

// ---------------------------------------------------------------- the generated timeline

/** A date relative to the open promise's day (later, earlier, the same) or to today. */
type DateRef = { from: "promise" | "today"; days: number };

type ShopEvent =
  | { type: "status"; status: DeliveryStatus; expected: DateRef | null; tracking: boolean; failureReason: DeliveryFailureReason | null }
  /** A new expected date with the status the parcel has (a carrier's new estimate). */
  | { type: "date"; expected: DateRef }
  /** The customer asks for a person (/help). */
  | { type: "ask_person" }
  | { type: "take" }
  | { type: "hand_back" }
  | { type: "close" };

/** Time passing before an event: some minutes, or to a local time of a later day (nights, weekends). */
type Gap = { type: "minutes"; n: number } | { type: "to_local"; days: number; minuteOfDay: number };

interface Timeline {
  /** Days after Monday 30 November 2026, and the local minute, the order arrives. */
  startDay: number;
  startMinute: number;
  /** The courier day: this many days after the order's day, in this window (null: the whole day). */
  deliveryInDays: number;
  window: string | null;
  /** The customer taps Confirm this long after the read-back reached them. */
  confirmAfterMinutes: number;
  steps: Array<{ gap: Gap; event: ShopEvent }>;
}

const dateRef: fc.Arbitrary<DateRef> = fc.record({
  from: fc.constantFrom("promise" as const, "promise" as const, "today" as const),
  days: fc.integer({ min: -2, max: 6 }),
});
const statusArb: fc.Arbitrary<DeliveryStatus> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<DeliveryStatus>("accepted", "packed", "shipped", "in_transit", "at_sorting_center", "out_for_delivery"),
  },
  { weight: 2, arbitrary: fc.constant<DeliveryStatus>("delivery_failed") },
  { weight: 1, arbitrary: fc.constantFrom<DeliveryStatus>("delivered", "returned_to_sender", "ready_for_pickup") },
);
const eventArb: fc.Arbitrary<ShopEvent> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant("status" as const),
      status: statusArb,
      expected: fc.option(dateRef, { freq: 2 }),
      tracking: fc.boolean(),
      failureReason: fc.option(fc.constantFrom<DeliveryFailureReason>("nobody_home", "wrong_address", "refused", "damaged", "other"), {
        freq: 4,
      }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant("date" as const), expected: dateRef }) },
  { weight: 1, arbitrary: fc.constant({ type: "ask_person" as const }) },
  { weight: 1, arbitrary: fc.constant({ type: "take" as const }) },
  { weight: 1, arbitrary: fc.constantFrom({ type: "hand_back" as const }, { type: "close" as const }) },
);
const gapArb: fc.Arbitrary<Gap> = fc.oneof(
  fc.record({
    type: fc.constant("minutes" as const),
    n: fc.oneof(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 60, max: 12 * 60 }), fc.integer({ min: 24 * 60, max: 4 * 24 * 60 })),
  }),
  // Just before or after opening and closing, at night, or at midday, a day or a weekend later.
  fc.record({
    type: fc.constant("to_local" as const),
    days: fc.integer({ min: 0, max: 3 }),
    minuteOfDay: fc.constantFrom(3 * 60, 8 * 60 + 55, 9 * 60 + 5, 12 * 60, 20 * 60 + 55, 21 * 60 + 5, 23 * 60 + 30),
  }),
);
const timelineArb: fc.Arbitrary<Timeline> = fc.record({
  startDay: fc.integer({ min: 0, max: 27 }),
  startMinute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  deliveryInDays: fc.integer({ min: 1, max: 6 }),
  window: fc.constantFrom("10:00-14:00", "14:00-18:00", "18:00-21:00", null),
  confirmAfterMinutes: fc.integer({ min: 1, max: 100 }),
  steps: fc.array(fc.record({ gap: gapArb, event: eventArb }), { minLength: 4, maxLength: 24 }),
});

// ---------------------------------------------------------------- driving it through the services

const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * day).toISOString().slice(0, 10);

/** What happened, besides the messages: for the assertions. */
interface Story {
  chatId: bigint;
  orderId: string;
  agreedDate: string;
  confirmed: boolean;
  /** Moments when a person acted (the customer, a manager): what answers them may go out at once. */
  personActs: number[];
  /** Statuses the shop posted that the order took (a new status, seq). */
  posted: Array<{ seq: number; status: DeliveryStatus; at: Date }>;
  deliveredAt: Date | null;
}

let chatSeq = 7_000_000_000n;

async function play(rig: TimelineRig, timeline: Timeline): Promise<Story> {
  const { deps, clock } = rig;
  const orderDay = addDays("2026-11-30", timeline.startDay);
  await rig.reset(zonedInstant(orderDay, timeline.startMinute, timeZone));
  const chatId = chatSeq++;
  await deps.db.telegramChat.create({ data: { id: chatId, type: "private" } });
  const template = anOrder();
  const agreedDate = addDays(orderDay, timeline.deliveryInDays);
  const received = await receiveOrder(deps, {
    externalId: `TL-${chatId}`,
    customer: { name: "Tom", phone: null, telegramUserId: chatId, language: "en" },
    currency: "EUR",
    items: template.items,
    delivery: { method: "courier", address: "Hauptstr. 1, 10115 Berlin", date: agreedDate, window: timeline.window, priceMinor: 490n },
    comment: null,
  });
  if (received.type !== "created") throw new Error(`order not created: ${received.type}`);
  const orderId = received.record.order.id;
  const story: Story = { chatId, orderId, agreedDate, confirmed: false, personActs: [], posted: [], deliveredAt: null };
  const act = () => story.personActs.push(clock.now().getTime());

  // The read-back reaches the customer (at opening for a night order); they confirm a little later.
  await rig.advanceTo(new Date(clock.now().getTime() + 2 * day), () => rig.calls.some((call) => call.chatId === chatId));
  await rig.advanceTo(new Date(clock.now().getTime() + timeline.confirmAfterMinutes * minute));
  act();
  const confirmed = await applyCustomerCommand(deps, { orderId, telegramUserId: chatId, command: { type: "confirm" } });
  story.confirmed = confirmed.type === "accepted";
  await rig.settle();

  for (const { gap, event } of timeline.steps) {
    await rig.advanceTo(gapEnd(clock.now(), gap));
    await apply(rig, story, event);
    await rig.settle();
  }
  // The end: a person still holding the chat gives it back, and a fortnight passes.
  const open = await findActiveHandoff(deps.db, chatId);
  if (open) {
    act();
    await endHandoff(deps, { handoffId: open.id, manager: maria, how: { type: "hand_back", resume: "where_stopped" } });
  }
  await rig.advanceTo(new Date(clock.now().getTime() + 16 * day));
  return story;
}

function gapEnd(now: Date, gap: Gap): Date {
  if (gap.type === "minutes") return new Date(now.getTime() + gap.n * minute);
  const at = zonedInstant(addDays(localDate(now, timeZone), gap.days), gap.minuteOfDay, timeZone);
  return at.getTime() > now.getTime() ? at : new Date(now.getTime() + minute);
}

async function apply(rig: TimelineRig, story: Story, event: ShopEvent): Promise<void> {
  const { deps, clock } = rig;
  const { orderId, chatId } = story;
  const resolve = async (ref: DateRef): Promise<string> => {
    const promise = await deps.db.orderPromise.findFirst({ where: { orderId, status: "open" }, orderBy: { madeAt: "desc" } });
    const base = ref.from === "today" ? localDate(clock.now(), timeZone) : (promise?.dueDate ?? story.agreedDate);
    return addDays(base, ref.days);
  };
  const post = async (
    status: DeliveryStatus,
    extra: { expectedDate?: string; trackingNumber?: string; failureReason?: DeliveryFailureReason },
  ) => {
    const result = await updateDeliveryStatus(deps, { orderId, status, ...extra });
    if (result.type === "updated") {
      story.posted.push({ seq: result.seq, status, at: clock.now() });
      if (status === "delivered") story.deliveredAt ??= clock.now();
    }
  };
  switch (event.type) {
    case "status":
      return post(event.status, {
        ...(event.expected ? { expectedDate: await resolve(event.expected) } : {}),
        ...(event.tracking ? { trackingNumber: "JJD0001234" } : {}),
        ...(event.status === "delivery_failed" && event.failureReason ? { failureReason: event.failureReason } : {}),
      });
    case "date": {
      const state = await deps.db.order.findUniqueOrThrow({ where: { id: orderId }, select: { deliveryStatus: true } });
      return post((state.deliveryStatus as DeliveryStatus | null) ?? "accepted", { expectedDate: await resolve(event.expected) });
    }
    case "ask_person":
      story.personActs.push(clock.now().getTime());
      await escalateChat(deps, { chatId, reason: "customer_request" });
      return;
    case "take": {
      const handoff = await findActiveHandoff(deps.db, chatId);
      if (!handoff || handoff.state !== "waiting") return;
      story.personActs.push(clock.now().getTime());
      await takeHandoff(deps, { handoffId: handoff.id, manager: maria });
      return;
    }
    case "hand_back":
    case "close": {
      const handoff = await findActiveHandoff(deps.db, chatId);
      if (!handoff) return;
      story.personActs.push(clock.now().getTime());
      await endHandoff(deps, {
        handoffId: handoff.id,
        manager: maria,
        how: event.type === "close" ? { type: "close" } : { type: "hand_back", resume: "where_stopped" },
      });
      return;
    }
  }
}

// ---------------------------------------------------------------- what the customer read

/** "Saturday, December 5" back to its ISO date, for the days a timeline can mention. */
const dayByText = new Map<string, string>();
for (let n = -10; n < 120; n++) {
  const date = addDays("2026-11-30", n);
  dayByText.set(formatDay(date, "en"), date);
}
const dayOf = (text: string): string => {
  const date = dayByText.get(text);
  if (!date) throw new Error(`not a day of the timeline: ${text}`);
  return date;
};
const dayPattern = "(\\w+, \\w+ \\d{1,2})";

/** What a customer's message says is still to come, each with the day it names. */
const expectedDays: Array<{ what: string; pattern: RegExp; holds: (date: string, today: string) => boolean }> = [
  { what: "Expected delivery", pattern: new RegExp(`Expected delivery: ${dayPattern}\\.`), holds: (date, today) => date >= today },
  {
    what: "It arrives tomorrow",
    pattern: new RegExp(`It arrives tomorrow, ${dayPattern}\\.`),
    holds: (date, today) => date === addDays(today, 1),
  },
  { what: "still expected by", pattern: new RegExp(`still expected by ${dayPattern}\\.`), holds: (date, today) => date >= today },
  { what: "moves to", pattern: new RegExp(`moves from ${dayPattern} to ${dayPattern}\\.`), holds: (date, today) => date >= today },
  { what: "new estimate", pattern: new RegExp(`The new estimate is ${dayPattern}\\.`), holds: (date, today) => date >= today },
  {
    what: "reminder",
    pattern: new RegExp(`A reminder, [^:]+: your order \\S+ arrives ${dayPattern}`),
    holds: (date, today) => date >= today,
  },
];
/** The day in the read-back and the dialog's views ("Date: Saturday, December 19, 14:00-18:00"). */
const readBackDay = new RegExp(`Date: ${dayPattern}`);
const apologyPattern = new RegExp(`(?:did not arrive on|has not arrived by) ${dayPattern}`);

const berlinClock = (at: Date) => {
  const { minute } = localParts(at, timeZone);
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
};
const describeCall = (call: RecordedCall) =>
  `${call.at.toISOString()} (${berlinClock(call.at)} Berlin) ${JSON.stringify(call.row?.intent ?? null)}: ${call.text}`;

async function check(rig: TimelineRig, story: Story): Promise<void> {
  const { config, deps } = rig;
  const sent = rig.calls.filter((call) => call.chatId === story.chatId);
  const problems: string[] = [];
  const promises = await deps.db.orderPromise.findMany({ where: { orderId: story.orderId } });
  const open = parseTimeWindow(config.notifications.contactHours.from + "-" + config.notifications.contactHours.to)!;

  const apologised = new Set<string>();
  const told = new Set<string>();
  for (const call of sent) {
    const today = localDate(call.at, timeZone);
    // No past date presented as expected.
    for (const { what, pattern, holds } of expectedDays) {
      const match = pattern.exec(call.text);
      if (!match) continue;
      const date = dayOf(match[match.length - 1]!);
      if (!holds(date, today)) problems.push(`"${what}" ${date} sent on ${today}: ${describeCall(call)}`);
    }
    // An apology only after the end plus the grace of the promise it is about (the last one made
    // for that day before it was queued), never after the delivery, once per day, and only for a
    // day the customer was told.
    const apology = apologyPattern.exec(call.text);
    if (apology) {
      const date = dayOf(apology[1]!);
      const queuedAt = call.row?.createdAt.getTime() ?? call.at.getTime();
      const promise = promises
        .filter((p) => p.dueDate === date && p.madeAt.getTime() <= queuedAt)
        .sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime())[0];
      const end =
        zonedInstant(date, parseTimeWindow(promise?.window)?.end ?? open.end, timeZone).getTime() +
        config.notifications.promises.graceHours * hour;
      if (call.at.getTime() < end) problems.push(`apology for ${date} before its end plus grace: ${describeCall(call)}`);
      if (story.deliveredAt && story.deliveredAt.getTime() <= call.at.getTime())
        problems.push(`apology after the delivery at ${story.deliveredAt.toISOString()}: ${describeCall(call)}`);
      if (apologised.has(date)) problems.push(`a second apology for ${date}: ${describeCall(call)}`);
      if (!told.has(date)) problems.push(`apology for ${date}, a day the customer was never told: ${describeCall(call)}`);
      apologised.add(date);
    }
    for (const { pattern } of [...expectedDays, { pattern: readBackDay }]) {
      const match = pattern.exec(call.text);
      if (match) told.add(dayOf(match[match.length - 1]!));
    }
    // Nothing outside contact hours unless it answers a person's act of that moment.
    const minuteOfDay = localParts(call.at, timeZone).minute;
    const answersAPerson = call.row !== null && story.personActs.includes(call.row.createdAt.getTime());
    if ((minuteOfDay < open.start || minuteOfDay >= open.end) && !answersAPerson)
      problems.push(`outside contact hours: ${describeCall(call)}`);
  }

  // Every status posted reaches the customer exactly once, or a later status does.
  const statusSends = sent.flatMap((call) => {
    const intent = call.row?.intent as { kind?: string; seq?: number } | undefined;
    return intent?.kind === "notify.status" && call.method === "sendMessage" ? [intent.seq!] : [];
  });
  for (const seq of new Set(statusSends)) {
    const times = statusSends.filter((s) => s === seq).length;
    if (times > 1) problems.push(`status ${seq} sent ${times} times`);
  }
  for (const posted of story.posted) {
    if (!statusSends.some((seq) => seq >= posted.seq))
      problems.push(
        `status ${posted.seq} (${posted.status}, posted ${posted.at.toISOString()}) never reached the customer, nor a later one`,
      );
  }

  // A reminder before every kept courier window that was at least a day ahead when agreed.
  const hoursBefore = config.notifications.deliveryReminder.hoursBefore;
  for (const promise of promises.filter((p) => p.status === "kept" && p.window)) {
    const start = zonedInstant(promise.dueDate, parseTimeWindow(promise.window)!.start, timeZone).getTime();
    if (promise.madeAt.getTime() > start - day) continue;
    // Delivered before the reminder was due: no reminder owed.
    if (!story.deliveredAt || story.deliveredAt.getTime() < start - hoursBefore * hour) continue;
    const reminded = sent.some((call) => {
      const intent = call.row?.intent as { kind?: string; date?: string } | undefined;
      return (
        intent?.kind === "notify.delivery_reminder" &&
        intent.date === promise.dueDate &&
        call.at.getTime() <= start &&
        call.at.getTime() >= promise.madeAt.getTime()
      );
    });
    if (!reminded)
      problems.push(`no reminder before the kept window ${promise.dueDate} ${promise.window} (agreed ${promise.madeAt.toISOString()})`);
  }

  if (problems.length) {
    throw new Error([...problems, "", "messages to the customer:", ...sent.map(describeCall)].join("\n"));
  }
}

// ---------------------------------------------------------------- the property

let rig: TimelineRig;
beforeAll(async () => {
  rig = await createTimelineRig();
});
afterAll(async () => {
  await rig?.close();
});

it(`keeps every date it tells the customer true over ${runs} generated month-long timelines (seed ${seed})`, async () => {
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(timelineArb, async (timeline) => {
      const story = await play(rig, timeline);
      await check(rig, story);
    }),
    { seed, numRuns: runs, ...(path ? { path } : {}), endOnFailure: process.env.TIMELINE_SHRINK === "0" },
  );
  console.info(`promise timelines: ${runs} in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${seed})`);
}, 600_000);
