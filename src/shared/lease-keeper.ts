/**
 * Keeps leases alive while their work is in hand: the outbox's claimed rows, the job runner's
 * claimed jobs and the update journal's updates. A worker `hold`s a lease (by its token) from the
 * moment it claims the work until the outcome is written; every `leaseMs / 3` (real time), while
 * anything is held, `renew` extends all held leases in one statement. So a lease can be short (a
 * dead instance's work is taken over soon after it dies) and still never run out under a live one,
 * unless its event loop stalls for two thirds of a lease.
 */
export interface LeaseKeeper {
  /** Holds the lease named `token` (nested holds of one token count); the function releases it. */
  hold(token: string): () => void;
  /** The tokens held now. */
  held(): string[];
  /** Stops renewing and forgets every hold (the worker stops: what it still holds runs out). */
  stop(): void;
}

export interface LeaseKeeperOptions {
  leaseMs: number;
  /** Extends the leases of these tokens to now + leaseMs (on the worker's clock). */
  renew(tokens: string[]): Promise<unknown>;
  onError(error: unknown): void;
}

export function createLeaseKeeper(options: LeaseKeeperOptions): LeaseKeeper {
  const holds = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let renewing = false;

  const tick = () => {
    // A renewal still running (a slow database) is not stacked with another.
    if (renewing || holds.size === 0) return;
    renewing = true;
    options
      .renew([...holds.keys()])
      .catch((error: unknown) => options.onError(error))
      .finally(() => (renewing = false));
  };

  return {
    hold(token) {
      holds.set(token, (holds.get(token) ?? 0) + 1);
      if (!timer) {
        timer = setInterval(tick, Math.max(1, options.leaseMs / 3));
        timer.unref();
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (holds.get(token) ?? 1) - 1;
        if (left > 0) holds.set(token, left);
        else holds.delete(token);
        if (holds.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    held: () => [...holds.keys()],
    stop() {
      holds.clear();
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Lease lengths by database: alone on SQLite a lease only matters at start-up (it is released there). */
export const DEFAULT_LEASE_MS = { sqlite: 2 * 60_000, postgresql: 10_000 } as const;
