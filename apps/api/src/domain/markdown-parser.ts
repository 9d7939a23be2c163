import { Worker } from 'node:worker_threads';
import { parseMarkdown } from '@handoff/shared/markdown';
import { unprocessable } from '../errors.ts';

type Tree = ReturnType<typeof parseMarkdown>;

/**
 * Parses Markdown for the API with a time limit. The CommonMark parser (micromark) is quadratic on
 * some hostile input (e.g. 40 KB of `*a*a*a…` takes seconds), so anything larger than a typical
 * page is parsed in a worker thread that is terminated when it runs past `timeoutMs`: the request
 * gets a 422 and the event loop never stalls. Small input is parsed inline (bounded cost).
 */
export class MarkdownParser {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (t: Tree) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: { inlineBelow: number; timeoutMs: number } = { inlineBelow: 8 * 1024, timeoutMs: 5_000 },
  ) {}

  parse(markdown: string): Promise<Tree> {
    if (markdown.length < this.options.inlineBelow) return Promise.resolve(parseMarkdown(markdown));
    // One parse at a time in the worker, so a timeout only ever cuts the request that caused it.
    const run = this.queue.then(() => this.inWorker(markdown));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./markdown-worker.mjs', import.meta.url));
    worker.unref();
    worker.on('message', (m: { id: number; tree?: Tree; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(m.id);
      if (m.tree) p.resolve(m.tree);
      else p.reject(unprocessable(`The Markdown could not be parsed: ${m.error ?? 'unknown error'}.`));
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    return worker;
  }

  private failAll(err: Error) {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }

  private inWorker(markdown: string): Promise<Tree> {
    this.worker ??= this.spawn();
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise<Tree>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.worker = null;
        void worker.terminate();
        reject(unprocessable(`The Markdown is too complex to process in ${this.options.timeoutMs / 1000} s; split it into smaller documents or simplify its inline markup.`));
      }, this.options.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, markdown });
    });
  }

  async close() {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
