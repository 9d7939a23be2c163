/**
 * The per-item summaries the LLM writer has already paid for, keyed by (document, from revision,
 * to revision, writer version, and the item's comment threads when it has any). A port so that a shared store can replace the in-memory one.
 */

/** A cached per-item summary, with the documents whose text was in the request that wrote it. */
export interface CachedSummary {
  /** Inert Markdown, already validated. */
  summary: string;
  /**
   * Every docId that was in the producing request. The model saw all of them at once, so the
   * summary may echo any of them: it is only reused for a reader whose draft holds them all.
   */
  sources: string[];
}

export interface SummaryCache {
  get(key: string): Promise<CachedSummary | undefined>;
  set(key: string, value: CachedSummary): Promise<void>;
}

/** `threads`: a digest of the item's comment threads, when it has any (see the LLM writer). */
export function summaryCacheKey(version: string, docId: string, fromRevision: number, toRevision: number, threads?: string): string {
  return JSON.stringify(threads === undefined ? [version, docId, fromRevision, toRevision] : [version, docId, fromRevision, toRevision, threads]);
}

/** A least-recently-used cache in memory (a Map keeps insertion order: the first key is the oldest). */
export class MemorySummaryCache implements SummaryCache {
  readonly #entries = new Map<string, CachedSummary>();

  constructor(readonly capacity = 5000) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
  }

  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<CachedSummary | undefined> {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  async set(key: string, value: CachedSummary): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
