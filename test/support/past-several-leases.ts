import type { ManualClock } from "../../src/shared/clock.js";

/**
 * For lease tests with 90 ms leases (renewed every 30 ms of real time): moves the shared clock on
 * by more than two leases while real time passes, running `check` (another instance's pass) each
 * step. A lease that is not renewed has run out by the end; a renewed one never does.
 */
export async function pastSeveralLeases(clock: ManualClock, check: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 4; i++) {
    clock.advance(50);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await check();
  }
}
