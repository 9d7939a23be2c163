/** The interfaces the domain needs from the outside world. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A document as the search engines index it: the current revision's title and plain text. */
export interface IndexedDoc {
  docId: string;
  spaceId: string;
  kind: 'page' | 'decision';
  title: string;
  text: string;
  /** Everyone who has written a revision of it. */
  authors: string[];
  updatedAt: number;
  revision: number;
}

export interface SearchRequest {
  q: string;
  /** The spaces the caller may read *now*; the engine must never return anything outside them. */
  spaceIds: string[];
  kind?: 'page' | 'decision' | undefined;
  authorId?: string | undefined;
  updatedSince?: number | undefined;
  limit: number;
}

export interface SearchHit {
  docId: string;
  title: string;
  /** Matched words in `<mark>`, everything else HTML-escaped. */
  snippet: string;
  spaceId: string;
  kind: 'page' | 'decision';
  updatedAt: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** How many documents match in all (that the caller may read), not just this page. */
  total: number;
}

/**
 * A full-text search engine. Two adapters implement it (embedded SQLite FTS5 and Meilisearch) and
 * both run one shared contract suite; nothing outside the composition root knows which is active.
 */
export interface SearchIndex {
  readonly engine: 'sqlite' | 'meilisearch';
  /** Creates or migrates the index and its settings; idempotent. */
  setup(): Promise<void>;
  upsert(docs: IndexedDoc[]): Promise<void>;
  remove(docIds: string[]): Promise<void>;
  search(request: SearchRequest): Promise<SearchResult>;
  /** Every indexed document id with its revision (for the reconcile check). */
  indexedRevisions(): Promise<Map<string, number>>;
  /** Replaces the whole index with `batches` (for Meilisearch: a new index, then a swap). */
  rebuild(batches: AsyncIterable<IndexedDoc[]>, onProgress?: (indexed: number) => void): Promise<void>;
  health(): Promise<boolean>;
}
