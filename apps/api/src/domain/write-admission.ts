import { rateLimited, unavailable } from './errors.ts';

export interface WriteAdmissionOptions {
  /** Body writes computing at once in this process (default 1). */
  concurrency: number;
  /** Writes one person may have waiting (besides those running); more answer 429. */
  queuePerUser: number;
  /** Writes that may wait in all; more answer 503. */
  queueTotal: number;
}

export const DEFAULT_WRITE_ADMISSION: WriteAdmissionOptions = { concurrency: 1, queuePerUser: 32, queueTotal: 128 };

interface Waiting {
  start: () => void;
}

const busy = (status: 429 | 503, message: string) =>
  status === 429 ? rateLimited(message, 2, { retryAfter: 2 }) : unavailable(message, 2, { retryAfter: 2 });

/**
 * Admission control of REST document body writes (create, PATCH, restore). Each of them runs
 * several milliseconds of synchronous work on the event loop (Markdown → Lexical, headless editors
 * over the Y.Doc, deriving the revision), in slices separated by yields; with many running at once
 * their slices interleave and a live-collaboration message waits behind all of them at every hop.
 * So at most `concurrency` compute at a time; the others wait here, served round-robin between
 * people, in bounded queues (past `queuePerUser` a person gets 429, past `queueTotal` everyone 503,
 * in the contract's error shape with `Retry-After`).
 */
export class WriteAdmission {
  private readonly options: WriteAdmissionOptions;
  /** Waiting writes per person; the Map's order is the round-robin order (served keys move to the end). */
  private readonly queues = new Map<string, Waiting[]>();
  private running = 0;
  private waiting = 0;

  constructor(options: Partial<WriteAdmissionOptions> = {}) {
    this.options = { ...DEFAULT_WRITE_ADMISSION, ...options };
  }

  /** Runs `fn` for `key` (the person writing) once admitted; rejects at once when the queues are full. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.running >= Math.max(1, this.options.concurrency) || this.waiting > 0) {
      const queue = this.queues.get(key) ?? [];
      if (queue.length >= this.options.queuePerUser) {
        throw busy(429, 'You have too many document changes waiting to be saved; try again in a few seconds.');
      }
      if (this.waiting >= this.options.queueTotal) {
        throw busy(503, 'The server is busy saving documents; try again in a few seconds.');
      }
      await new Promise<void>((start) => {
        queue.push({ start });
        this.waiting++;
        if (!this.queues.has(key)) this.queues.set(key, queue);
      });
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      this.running--;
      // The next write starts in a turn of its own, not in the tail of this one's last slice.
      if (this.waiting) setImmediate(() => this.dispatch());
    }
  }

  /** Writes running and waiting (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting };
  }

  private dispatch() {
    while (this.running < Math.max(1, this.options.concurrency)) {
      const next = this.next();
      if (!next) return;
      this.running++;
      next.start();
    }
  }

  private next(): Waiting | null {
    for (const [key, queue] of this.queues) {
      const w = queue.shift()!;
      this.queues.delete(key);
      if (queue.length) this.queues.set(key, queue);
      this.waiting--;
      return w;
    }
    return null;
  }
}
