import type { RunningApp } from "../app/start-app.js";
import { sandboxQueries } from "../db/sandbox-queries.js";
import type { OffsetClock } from "../shared/clock.js";

/** How the page or curl asks to move the sandbox clock. */
export type ClockMove = { advanceMs: number } | { to: Date } | { next: true };

export type ClockMoveResult =
  | { type: "moved"; now: Date; offsetMs: number; reason: string }
  | { type: "nothing-scheduled"; now: Date; offsetMs: number }
  | { type: "in-the-past"; now: Date; offsetMs: number };

/**
 * Moves the sandbox clock forward and wakes the scheduler and the outbox, as time passing would:
 * reminders, nudges and messages held for contact hours come due at once instead of in hours.
 * `next` moves to the next thing that will happen by itself: the soonest pending job (a reminder,
 * a nudge, a re-ping...) or message waiting for its time, whichever comes first.
 */
export async function moveSandboxClock(app: RunningApp, clock: OffsetClock, move: ClockMove): Promise<ClockMoveResult> {
  const state = () => ({ now: clock.now(), offsetMs: clock.offsetMs });
  let reason: string;
  if ("advanceMs" in move) {
    clock.advance(move.advanceMs);
    reason = `moved ${formatDuration(move.advanceMs)} ahead`;
  } else if ("to" in move) {
    if (move.to.getTime() < clock.now().getTime()) return { type: "in-the-past", ...state() };
    clock.advanceTo(move.to);
    reason = `moved to ${move.to.toISOString()}`;
  } else {
    const { jobs, held } = await sandboxQueries(app.services.db).upcoming({ limit: 1 });
    const candidates = [
      ...jobs.map((job) => ({ at: job.dueAt, what: `${job.kind}${job.externalId ? ` (${job.externalId})` : ""}` })),
      ...held.map((message) => ({
        at: message.dueAt,
        what: `${message.channel} ${message.what}${message.externalId ? ` (${message.externalId})` : ""}`,
      })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
    const next = candidates[0];
    if (!next) return { type: "nothing-scheduled", ...state() };
    clock.advanceTo(next.at);
    reason = `next: ${next.what}`;
  }
  app.scheduler.kick();
  app.services.outbox.kick();
  return { type: "moved", ...state(), reason };
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}
