/**
 * Time, as the rest of the server sees it. Everything that reads the time or waits (collaboration,
 * live revisions, schedulers, pollers) goes through a Clock, so a test can use `ManualClock` and
 * move time by hand instead of sleeping.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms` (never before `now()` has moved on by `ms`). */
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(timer: Timer | null | undefined): void;
}

/** A pending call of `Clock.setTimeout`; `unref` lets the process exit while it waits. */
export interface Timer {
  unref(): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => {
    if (timer) clearTimeout(timer as ReturnType<typeof setTimeout>);
  },
};

/** Waits `ms` on `clock` (a ManualClock resolves it when the test advances past it). */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

interface ManualTimer extends Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to: `advance(ms)` runs every timer that falls due, in time
 * order, letting the promises each one starts settle before the next. For tests and the demo seed.
 */
export class ManualClock implements Clock {
  private timers: ManualTimer[] = [];
  private seq = 0;

  constructor(private at = Date.now()) {}

  now = (): number => this.at;

  setTimeout = (fn: () => void, ms: number): Timer => {
    const timer: ManualTimer = { at: this.at + Math.max(0, ms), seq: this.seq++, fn, cancelled: false, unref: () => timer };
    this.timers.push(timer);
    return timer;
  };

  clearTimeout = (timer: Timer | null | undefined): void => {
    if (timer) (timer as ManualTimer).cancelled = true;
  };

  /** Timers waiting to run. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time on by `ms`, running each timer that falls due at its own time. */
  async advance(ms: number): Promise<void> {
    const until = this.at + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.at = Math.max(this.at, due.at);
      due.fn();
      await settle();
    }
    this.at = until;
  }

  /** Sets the time to `iso` (forward only), running the timers that fall due on the way. */
  async set(iso: string | number): Promise<void> {
    const next = typeof iso === 'number' ? iso : Date.parse(iso);
    if (next < this.at) throw new Error(`the clock only moves forward (${String(iso)})`);
    await this.advance(next - this.at);
  }
}

/** Lets promise chains started by a timer run (a few macrotask turns, I/O included). */
async function settle() {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}
