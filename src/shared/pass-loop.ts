/**
 * The background loop of a worker that works in passes (the outbox dispatcher, the job runner):
 * a pass, then another at once when the last one found a full batch or someone kicked, else a
 * wait of `pollIntervalMs` (real time) that a kick cuts short. Passes never overlap, whether they
 * come from the loop or from runOnce().
 */
export interface PassLoop<T> {
  start(): void;
  /** Ends the loop after the pass in progress; resolves when no pass runs any more. */
  stop(): Promise<void>;
  kick(): void;
  runOnce(): Promise<T>;
  readonly stopping: boolean;
}

export function createPassLoop<T extends { saturated: boolean }>(options: {
  pass: () => Promise<T>;
  pollIntervalMs: number;
  /** A pass threw: log it; the loop goes on. */
  onError: (error: unknown) => void;
}): PassLoop<T> {
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let kicked = false;
  let passes: Promise<unknown> = Promise.resolve();

  function serialPass(): Promise<T> {
    const next = passes.then(options.pass, options.pass);
    passes = next.catch(() => undefined);
    return next;
  }

  async function run(): Promise<void> {
    while (!stopping) {
      kicked = false;
      let saturated = false;
      try {
        ({ saturated } = await serialPass());
      } catch (error) {
        options.onError(error);
      }
      if (stopping) break;
      if (saturated || kicked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  }

  return {
    get stopping() {
      return stopping;
    },
    start() {
      if (loop) return;
      stopping = false;
      loop = run();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      await passes;
      loop = null;
    },
    kick() {
      kicked = true;
      wake?.();
    },
    runOnce: serialPass,
  };
}
