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
