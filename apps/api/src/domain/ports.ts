/** The interfaces the domain needs from the outside world. */
import type { DocKind } from './model.ts';
export { systemClock, type Clock } from './clock.ts';
export type { BlobStore } from './blob-store.ts';

/**
 * A document as the search engines index it: the current revision's title and plain text, and the
 * text of its live comments (searched with less weight than the body; a hit found only there shows
 * the comment as its snippet).
 */
export interface IndexedDoc {
  docId: string;
  spaceId: string;
  kind: DocKind;
  title: string;
  text: string;
  /**
   * The plain text of the document's comments that are not deleted (threads open or resolved),
   * oldest first; absent or empty when it has none.
   */
  comments?: string[] | undefined;
  /** Everyone who has written a revision of it. */
  authors: string[];
  updatedAt: number;
  revision: number;
}

export interface SearchRequest {
  q: string;
  /** The spaces the caller may read *now*; the engine must never return anything outside them. */
  spaceIds: string[];
  kind?: DocKind | undefined;
  authorId?: string | undefined;
  updatedSince?: number | undefined;
  limit: number;
}

export interface SearchHit {
  docId: string;
  title: string;
  /** Matched words in `<mark>`, everything else HTML-escaped; from a comment when the match is there. */
  snippet: string;
  spaceId: string;
  kind: DocKind;
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

/** Why a change matters to a reader, most important first (see build-brief.ts for the scoring). */
export type BriefReason = 'handoff' | 'decision' | 'asked' | 'thread' | 'mention' | 'owner' | 'watch' | 'linked' | 'new';

/**
 * Which of the reader's documents (one she created, or edited in the last 30 days, that she may
 * read now) ties a `linked` item to her: `links-to` — her document links to the item's ("changed:
 * Sync API, which your Mobile client plan links to"); `linked-from` — the item's document links to hers.
 */
export interface BriefLinkedVia {
  docId: string;
  title: string;
  direction: 'links-to' | 'linked-from';
}

/** The sections of a handoff note (`## Done`, `## In progress / next`, …) as its revision's Markdown has them. */
export interface BriefHandoffFacts {
  /** Who wrote the note (its creator), with their time zone. */
  from: { id: string; name: string; timezone: string };
  /** Each known section with text, in the note's order: its heading and its items (plain text, shortened). */
  sections: Array<{ heading: string; items: string[]; more: number }>;
}

/** "Blocked on @you" / "Decision needed from @you" in a handoff note, not yet answered (reason `asked`). */
export interface BriefHandoffAsk {
  section: 'blocked' | 'decision';
  text: string;
  askedBy: { id: string; name: string };
  askedAt: number;
  /** The note's revision in which it first asked. */
  revision: number;
}

/**
 * A comment thread of a brief item's document that concerns the reader: it asked her something
 * she has not answered (`asked`), or it has new replies by others since she last wrote in it
 * (`thread`). Only comments of the brief's window, never deleted ones, never her own.
 */
export interface BriefThreadFacts {
  threadId: string;
  reason: 'asked' | 'thread';
  /** Who asked her and when (for `asked`). */
  askedBy?: { id: string; name: string } | undefined;
  askedAt?: number | undefined;
  /** The anchored text as it was when the thread was started; null for a document-level thread. */
  quote: string | null;
  /** The anchored text has since been deleted from the document (as last resolved). */
  orphaned: boolean;
  /** Who resolved it, if it is resolved now. */
  resolvedBy?: { id: string; name: string } | undefined;
  /** The newest replies by others (at most a few, oldest first), as plain text. */
  replies: Array<{ commentId: string; authorId: string; author: string; text: string; createdAt: number }>;
  /** Every new comment the item tells of (the quoted ones and those left out for length). */
  commentIds: string[];
  /** The web app's document page scrolled to the thread: `/docs/<docId>?thread=<threadId>`. */
  url: string;
}

/**
 * One document's changes in a reader's brief, folded over every revision in the window
 * (first → last), and the news of its comment threads. Everything here was read with the
 * reader's permissions at build time.
 */
export interface BriefItemFacts {
  docId: string;
  title: string;
  spaceId: string;
  spaceName: string;
  kind: DocKind;
  reasons: BriefReason[];
  /**
   * The revision the reader last saw (0 when the document is new to them) and the newest one.
   * An item only about comments has both at the document's current revision (no change to show).
   */
  fromRevision: number;
  toRevision: number;
  /** Who changed the body in between (not who commented: see `threads`). */
  authors: Array<{ id: string; name: string }>;
  /** The authors' "why" messages, oldest first, with who wrote each. */
  messages: Array<{ author: string; text: string }>;
  /** The title at `fromRevision`, when the document was renamed in between. */
  renamedFrom?: string | undefined;
  /** Headings of the sections that changed. */
  sections: string[];
  /** Key sentences added and removed (from the block and word diff). */
  added: string[];
  removed: string[];
  /** A decision's status path over the window, e.g. ["proposed", "accepted", "superseded"]. */
  decisionPath: string[];
  /** The text of the `toRevision`, the only text an LLM may quote from for this item. */
  text: string;
  /** Threads with news for the reader, most important first (none for a change of the body only). */
  threads: BriefThreadFacts[];
  /** Threads with news left out of `threads` for length. */
  otherThreads?: number | undefined;
  /** For `linked`: which of the reader's documents links to it, or is linked from it. */
  linkedVia?: BriefLinkedVia | undefined;
  /** For a handoff note: who wrote it and its sections. */
  handoff?: BriefHandoffFacts | undefined;
  /** Handoff asks waiting on the reader (reason `asked`). */
  asks?: BriefHandoffAsk[] | undefined;
  /** Characters changed (and of the new replies), for ranking and reading time. */
  changedChars: number;
  /**
   * Link to the web app's diff of exactly these revisions; for an item only about comments
   * (`fromRevision` = `toRevision`), the document scrolled to its first thread.
   */
  diffUrl: string;
  score: number;
  lastChangedAt: number;
}

export interface BriefDraft {
  reader: { id: string; name: string; timezone: string };
  since: number;
  until: number;
  items: BriefItemFacts[];
  /** Items left out by the reading-time budget. */
  omitted: number;
}

export interface WrittenBrief {
  writer: 'extractive' | 'llm';
  markdown: string;
  /** One summary per item (by docId), shown in the item list. */
  summaries: Record<string, string>;
}

/** Writes a brief from facts. Two adapters: extractive (default, offline) and LLM (OpenAI-compatible). */
export interface BriefWriter {
  readonly name: 'extractive' | 'llm';
  write(draft: BriefDraft): Promise<WrittenBrief>;
}
