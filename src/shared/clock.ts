/**
 * The one source of "now" for the whole app. Reminders, contact hours and expiry are decided by
 * the clock, so tests and the sandbox move time instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: tests and the sandbox's "advance time" button. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: Date | string = new Date()) {
    this.#ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): Date {
    this.#ms += ms;
    return this.now();
  }

  set(to: Date | string): void {
    this.#ms = new Date(to).getTime();
  }
}

/**
 * Real time moved forward by an offset: the sandbox's clock. Time keeps running (the owner sees a
 * live chat), and "skip an hour / a day / to the next reminder" moves the offset. It never goes
 * back: jobs, leases and messages already sent assume time only moves forward.
 */
export class OffsetClock implements Clock {
  #offsetMs: number;

  /**
   * `startAt` sets where the clock starts (it runs on from there): tests pin "now" to a known
   * moment in contact hours so that they do not depend on the hour they happen to run at.
   */
  constructor(
    private readonly real: () => number = Date.now,
    startAt?: Date | string,
  ) {
    this.#offsetMs = startAt === undefined ? 0 : new Date(startAt).getTime() - real();
  }

  now(): Date {
    return new Date(this.real() + this.#offsetMs);
  }

  /** How far the clock is from real time (ms); negative when it started in the past. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  advance(ms: number): Date {
    if (!(ms >= 0)) throw new Error(`OffsetClock only moves forward (asked to move by ${ms} ms)`);
    this.#offsetMs += ms;
    return this.now();
  }

  /** Moves the clock forward to `to`; a moment already past leaves it where it is. */
  advanceTo(to: Date): Date {
    return this.advance(Math.max(0, to.getTime() - this.real() - this.#offsetMs));
  }
}
