import { Worker } from 'node:worker_threads';
import { parseMarkdown } from '@handoff/shared/markdown';
import { unprocessable, rateLimited, unavailable } from './errors.ts';

type Tree = ReturnType<typeof parseMarkdown>;

export interface MarkdownParserOptions {
  /** Input shorter than this (UTF-16 code units) is parsed inline: its cost is small and bounded. */
  inlineBelow: number;
  /** Each parse's time budget, counted from when a worker starts it (never while it waits). */
  timeoutMs: number;
  /** Worker threads in the pool. */
  workers: number;
  /** Parses one person may have waiting (besides the one running); more answer 429. */
  queuePerUser: number;
  /** Parses that may wait in all; more answer 503. */
  queueTotal: number;
  /** Heap limit of each worker (MB): a parse that needs more fails instead of growing the process. */
  workerHeapMb: number;
}

export const DEFAULT_PARSER_OPTIONS: MarkdownParserOptions = {
  inlineBelow: 8 * 1024,
  timeoutMs: 10_000,
  workers: 2,
  queuePerUser: 4,
  queueTotal: 64,
  workerHeapMb: 512,
};

/** The parser's settings from configuration (`config.limits`). */
export function parserOptionsFrom(limits: { parserWorkers: number; parserTimeoutMs: number }): Partial<MarkdownParserOptions> {
  return { workers: limits.parserWorkers, timeoutMs: limits.parserTimeoutMs };
}

interface Job {
  key: string;
  markdown: string;
  resolve: (tree: Tree) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker | null;
  /** The worker has loaded the parser (its start-up does not count against a parse's budget). */
  ready: boolean;
  job: Job | null;
  jobId: number;
  timer: NodeJS.Timeout | undefined;
}

/** A worker that has not loaded the parser by then is replaced (its job fails with a 422). */
const STARTUP_LIMIT_MS = 30_000;

const busy = (status: 429 | 503, message: string) =>
  status === 429 ? rateLimited(message, 5, { retryAfter: 5 }) : unavailable(message, 5, { retryAfter: 5 });

/**
 * Parses Markdown for the API with a time limit and fairness between people. The CommonMark
 * parser (micromark) is quadratic on some hostile input (e.g. 40 KB of `*a*a*a…` takes seconds),
 * so anything larger than a typical page is parsed in a small pool of worker threads:
 *
 * - each parse gets its own budget (`timeoutMs`), counted while it runs; past it the worker is
 *   terminated (and replaced on the next parse) and the request gets a 422;
 * - each person (the `key` of a parse) has their own queue and at most one parse running, and
 *   idle workers serve the queues round-robin — so one person's hostile input occupies at most one
 *   worker and everyone else's parses go ahead on the others;
 * - queues are bounded: past `queuePerUser` waiting a person gets 429, past `queueTotal` in all 503.
 *
 * The event loop never runs a parse of large input, so it never stalls on one.
 */
export class MarkdownParser {
  private readonly options: MarkdownParserOptions;
  private readonly slots: Slot[];
  /** Waiting parses per person; the Map's order is the round-robin order (served keys move to the end). */
  private readonly queues = new Map<string, Job[]>();
  private readonly running = new Set<string>();
  private waiting = 0;
  private nextId = 1;
  private closed = false;

  constructor(options: Partial<MarkdownParserOptions> = {}) {
    this.options = { ...DEFAULT_PARSER_OPTIONS, ...options };
    const size = Math.max(1, Math.floor(this.options.workers));
    this.slots = Array.from({ length: size }, () => ({ worker: null, ready: false, job: null, jobId: 0, timer: undefined }));
  }

  /** Parses `markdown` on behalf of `key` (the person asking; parses without one share a queue). */
  parse(markdown: string, key = ''): Promise<Tree> {
    if (markdown.length < this.options.inlineBelow) return Promise.resolve(parseMarkdown(markdown));
    if (this.closed) return Promise.reject(busy(503, 'The server is shutting down; try again shortly.'));
    const queue = this.queues.get(key) ?? [];
    if (queue.length >= this.options.queuePerUser) {
      return Promise.reject(busy(429, 'You have too many documents waiting to be processed; try again in a few seconds.'));
    }
    if (this.waiting >= this.options.queueTotal) {
      return Promise.reject(busy(503, 'The server is busy processing documents; try again in a few seconds.'));
    }
    return new Promise<Tree>((resolve, reject) => {
      queue.push({ key, markdown, resolve, reject });
      this.waiting++;
      if (!this.queues.has(key)) this.queues.set(key, queue);
      this.dispatch();
    });
  }

  /** Parses running and waiting (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running.size, waiting: this.waiting };
  }

  /** Gives every idle worker the next parse of the next person (round-robin) who has none running. */
  private dispatch() {
    for (const slot of this.slots) {
      if (slot.job) continue;
      const job = this.next();
      if (!job) return;
      this.start(slot, job);
    }
  }

  private next(): Job | null {
    for (const [key, queue] of this.queues) {
      if (this.running.has(key)) continue;
      const job = queue.shift()!;
      // Served: to the back of the round, or out of it when nothing else waits.
      this.queues.delete(key);
      if (queue.length) this.queues.set(key, queue);
      this.waiting--;
      return job;
    }
    return null;
  }

  private start(slot: Slot, job: Job) {
    slot.worker ??= this.spawn(slot);
    slot.job = job;
    slot.jobId = this.nextId++;
    this.running.add(job.key);
    if (slot.ready) this.post(slot);
    else slot.timer = setTimeout(() => this.lost(slot, 'the parser did not start'), STARTUP_LIMIT_MS);
  }

  /** Hands the slot's job to its (ready) worker and starts the job's own time budget. */
  private post(slot: Slot) {
    const worker = slot.worker!;
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      slot.worker = null;
      slot.ready = false;
      void worker.terminate();
      this.finish(
        slot,
        unprocessable(`The Markdown is too complex to process in ${this.options.timeoutMs / 1000} s; split it into smaller documents or simplify its inline markup.`),
      );
    }, this.options.timeoutMs);
    worker.postMessage({ id: slot.jobId, markdown: slot.job!.markdown });
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(new URL('./markdown-worker.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.options.workerHeapMb },
    });
    worker.unref();
    slot.ready = false;
    worker.on('message', (m: { ready?: true; id?: number; tree?: Tree; error?: string }) => {
      if (slot.worker !== worker) return;
      if (m.ready) {
        slot.ready = true;
        if (slot.job) this.post(slot);
        return;
      }
      if (m.id !== slot.jobId) return;
      this.finish(slot, m.tree ?? unprocessable(`The Markdown could not be parsed: ${m.error ?? 'unknown error'}.`));
    });
    // A crash (e.g. out of its heap limit) fails only the parse it was running; the next gets a new worker.
    worker.on('error', (err) => slot.worker === worker && this.lost(slot, err.message));
    worker.on('exit', (code) => slot.worker === worker && this.lost(slot, `the parser stopped with code ${code}`));
    return worker;
  }

  private lost(slot: Slot, why: string) {
    const worker = slot.worker;
    slot.worker = null;
    slot.ready = false;
    if (worker) void worker.terminate();
    this.finish(slot, unprocessable(`The Markdown could not be processed (${why}); split it into smaller documents.`));
  }

  private finish(slot: Slot, outcome: Tree | Error) {
    const job = slot.job;
    if (!job) return;
    clearTimeout(slot.timer);
    slot.job = null;
    this.running.delete(job.key);
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
    if (!this.closed) this.dispatch();
  }

  async close() {
    this.closed = true;
    for (const queue of this.queues.values()) for (const job of queue) job.reject(busy(503, 'The server is shutting down; try again shortly.'));
    this.queues.clear();
    this.waiting = 0;
    const workers = this.slots.map((s) => s.worker).filter((w): w is Worker => w !== null);
    for (const slot of this.slots) {
      slot.worker = null;
      slot.ready = false;
      this.finish(slot, busy(503, 'The server is shutting down; try again shortly.'));
    }
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
