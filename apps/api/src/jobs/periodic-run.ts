import type { Clock, Timer } from '../domain/clock.ts';
import type { Logger } from '../logger.ts';

/**
 * The timer loop of a job that does "everything due now" again and again (the brief scheduler
 * every minute, the delivery job every 15 s): waits on the Clock (so a test moves time by hand),
 * never starts a run while one is going, and shares a run in progress with a caller of `runDue()`
 * without a time, so that two runs never race each other. A failed run is logged; the next one
 * tries again.
 */
export interface PeriodicRun<T> {
  /** Runs `run` at each `delayFrom` until `stop`. */
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
  /** Runs now: at `now`, or, without it, shares a run in progress. */
  runDue(now?: number): Promise<T>;
}

export function createPeriodicRun<T>(options: {
  clock: Clock;
  log: Logger;
  /** Logged when a run fails. */
  name: string;
  /** Milliseconds from `now` to the next run (null: no more runs). */
  delayFrom: (now: number) => number | null;
  /** Does everything due at `now` (default: the clock's now). */
  run: (now?: number) => Promise<T>;
  /** What a failed timer run counts as. */
  failed: T;
}): PeriodicRun<T> {
  const { clock, log } = options;
  let timer: Timer | null = null;
  let started = false;
  let running: Promise<T> | null = null;

  function tick() {
    if (running) return; // the previous run is still going
    running = options
      .run()
      .catch((err: unknown) => {
        log.error({ msg: `${options.name} run failed`, err });
        return options.failed;
      })
      .finally(() => {
        running = null;
      });
  }

  function scheduleNext() {
    const delay = options.delayFrom(clock.now());
    if (!started || delay === null) return;
    timer = clock
      .setTimeout(() => {
        timer = null;
        if (!started) return;
        tick();
        scheduleNext();
      }, delay)
      .unref();
  }

  return {
    start() {
      if (started) return;
      started = true;
      scheduleNext();
    },
    async stop() {
      started = false;
      clock.clearTimeout(timer);
      timer = null;
      await running;
    },
    runDue: (now) => {
      if (running && now === undefined) return running;
      return options.run(now);
    },
  };
}
