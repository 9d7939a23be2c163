import { createHash } from 'node:crypto';
import { Meilisearch, type EnqueuedTaskPromise, type Settings, type Task } from 'meilisearch';
import type { IndexedDoc, SearchHit, SearchIndex, SearchRequest, SearchResult } from '../../domain/ports.ts';
import { cleanIndexText, joinComments, MARK_CLOSE, MARK_OPEN, markedComment, queryWords, snippetHtml } from './search-text.ts';

export interface MeilisearchSearchIndexOptions {
  host: string;
  apiKey?: string | undefined;
  /** The live index (default `handoff_docs`). */
  indexUid?: string;
  /** Words per chunk of a long document (default 300). */
  chunkWords?: number;
  /** How long to wait for one task, and how often to poll it. */
  taskTimeoutMs?: number;
  taskPollMs?: number;
  /** Upper bound of `total` (Meilisearch's `pagination.maxTotalHits`; default 100,000). */
  maxTotalHits?: number;
}

interface ChunkDoc {
  id: string;
  docId: string;
  docKey: string;
  spaceKey: string;
  authorKeys: string[];
  chunk: number;
  spaceId: string;
  kind: IndexedDoc['kind'];
  title: string;
  /** A piece of the body (empty in a chunk of comments). */
  text: string;
  /** A piece of the comments, separated by COMMENT_SEPARATOR (empty in a chunk of the body). */
  comments: string;
  authors: string[];
  updatedAt: number;
  revision: number;
}

/** A Meilisearch task (a write) that failed or was canceled; `task.error` says why. */
export class MeilisearchTaskError extends Error {
  constructor(
    readonly task: Task,
    message: string,
  ) {
    super(message);
    this.name = 'MeilisearchTaskError';
  }
}

const DELETE_BATCH = 100;
const PAGE = 1000;
const CROP_WORDS = 30;

/** A Meilisearch document id (`[A-Za-z0-9_-]`, ≤ 511 bytes) for chunk `n` of `docId`; never shared by two chunks. */
export function chunkId(docId: string, n: number): string {
  // Plain ids end in `-<n>`; any other id is hashed and ends in `_h<n>` with no `-` before it.
  if (/^[A-Za-z0-9_-]{1,480}$/.test(docId)) return `${docId}-${n}`;
  return `${createHash('sha256').update(docId).digest('hex')}_h${n}`;
}

/** An id as an exact, case-proof filter key: its UTF-8 bytes in lower-case hex (hashed when long). */
export function filterKey(id: string): string {
  const hex = Buffer.from(id, 'utf8').toString('hex');
  return hex.length <= 256 ? `x${hex}` : `h${createHash('sha256').update(id).digest('hex')}`;
}

/** A value inside a Meilisearch filter: double-quoted, with `\` and `"` escaped (no injection). */
export function filterValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Splits text into pieces of about `words` words, cutting at whitespace and keeping it verbatim. */
export function splitIntoChunks(text: string, words: number): string[] {
  const chunks: string[] = [];
  const boundary = /\S+/g;
  let start = 0;
  let count = 0;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    if (count === words) {
      chunks.push(text.slice(start, m.index).trimEnd());
      start = m.index;
      count = 0;
    }
    count++;
  }
  chunks.push(text.slice(start).trim());
  return chunks;
}

/**
 * The Meilisearch adapter, through the official client. One Meilisearch document per chunk of a
 * Handoff document — chunks of its body (`text`), then chunks of its comments (`comments`, ranked
 * below the body by the `attribute` rule) — and `distinctAttribute: docKey` folds them back into
 * one hit and one count; every
 * search is filtered to the caller's readable spaces; every write waits for its task and throws
 * if the task failed.
 *
 * Filters never compare raw ids: Meilisearch trims and lower-cases string facet values, so
 * `spaceId = "aB"` would also match space `Ab`. Each id is therefore also stored as a lower-case
 * hex key (`spaceKey`, `docKey`, `authorKeys`) and filters use those, so they are exact.
 */
export class MeilisearchSearchIndex implements SearchIndex {
  readonly engine = 'meilisearch' as const;
  readonly indexUid: string;
  private readonly client: Meilisearch;
  private readonly chunkWords: number;
  private readonly wait: { timeout: number; interval: number };
  private readonly settings: Settings;

  constructor(options: MeilisearchSearchIndexOptions) {
    this.client = new Meilisearch({ host: options.host, apiKey: options.apiKey });
    this.indexUid = options.indexUid ?? 'handoff_docs';
    this.chunkWords = options.chunkWords ?? 300;
    this.wait = { timeout: options.taskTimeoutMs ?? 60_000, interval: options.taskPollMs ?? 50 };
    this.settings = {
      // Order matters: a match in the title ranks above one in the text, which ranks above one in
      // the comments (the `attribute` rule).
      searchableAttributes: ['title', 'text', 'comments'],
      filterableAttributes: ['docKey', 'spaceKey', 'kind', 'authorKeys', 'updatedAt'],
      sortableAttributes: ['updatedAt'],
      distinctAttribute: 'docKey',
      typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
      rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
      pagination: { maxTotalHits: options.maxTotalHits ?? 100_000 },
    };
  }

  /** Waits for a task and throws unless it succeeded. */
  private async done(promise: EnqueuedTaskPromise, what: string): Promise<Task> {
    const task = await promise.waitTask(this.wait);
    if (task.status !== 'succeeded') {
      const reason = task.error ? `${task.error.code}: ${task.error.message}` : task.status;
      throw new MeilisearchTaskError(task, `Meilisearch task ${task.uid} (${what}) ${task.status}: ${reason}`);
    }
    return task;
  }

  /** Creates `uid` unless it exists, then applies the settings and waits for them. */
  private async prepare(uid: string): Promise<void> {
    const created = await this.client.createIndex(uid, { primaryKey: 'id' }).waitTask(this.wait);
    if (created.status !== 'succeeded' && created.error?.code !== 'index_already_exists') {
      throw new MeilisearchTaskError(created, `Meilisearch could not create index ${uid}: ${created.error?.message ?? created.status}`);
    }
    await this.done(this.client.index(uid).updateSettings(this.settings), `settings of ${uid}`);
  }

  async setup(): Promise<void> {
    await this.prepare(this.indexUid);
  }

  async health(): Promise<boolean> {
    try {
      return (await this.client.health()).status === 'available';
    } catch {
      return false;
    }
  }

  private chunks(doc: IndexedDoc): ChunkDoc[] {
    const title = cleanIndexText(doc.title);
    const comments = joinComments(doc.comments);
    const pieces: Array<{ text: string; comments: string }> = [
      ...splitIntoChunks(cleanIndexText(doc.text), this.chunkWords).map((text) => ({ text, comments: '' })),
      // A comment is cut only when it is longer than a chunk (the separator is whitespace).
      ...(comments ? splitIntoChunks(comments, this.chunkWords).map((c) => ({ text: '', comments: c })) : []),
    ];
    return pieces.map(({ text, comments }, n) => ({
      id: chunkId(doc.docId, n),
      docId: doc.docId,
      docKey: filterKey(doc.docId),
      spaceKey: filterKey(doc.spaceId),
      authorKeys: doc.authors.map(filterKey),
      chunk: n,
      spaceId: doc.spaceId,
      kind: doc.kind,
      title,
      text,
      comments,
      authors: doc.authors,
      updatedAt: doc.updatedAt,
      revision: doc.revision,
    }));
  }

  private async deleteChunksOf(uid: string, docIds: string[]): Promise<void> {
    for (let i = 0; i < docIds.length; i += DELETE_BATCH) {
      const ids = docIds.slice(i, i + DELETE_BATCH);
      const filter = `docKey IN [${ids.map((id) => filterValue(filterKey(id))).join(', ')}]`;
      await this.done(this.client.index(uid).deleteDocuments({ filter }), `delete chunks of ${ids.length} documents`);
    }
  }

  private async addChunks(uid: string, docs: IndexedDoc[]): Promise<void> {
    const chunks = docs.flatMap((doc) => this.chunks(doc));
    if (chunks.length) await this.done(this.client.index<ChunkDoc>(uid).addDocuments(chunks, { primaryKey: 'id' }), `add ${chunks.length} chunks`);
  }

  async upsert(docs: IndexedDoc[]): Promise<void> {
    if (!docs.length) return;
    // Old chunks go first: a shorter new text must not leave the old tail searchable. Tasks run in
    // order (and are usually batched together), so the document is replaced, not duplicated.
    await this.deleteChunksOf(this.indexUid, [...new Set(docs.map((d) => d.docId))]);
    await this.addChunks(this.indexUid, docs);
  }

  async remove(docIds: string[]): Promise<void> {
    if (docIds.length) await this.deleteChunksOf(this.indexUid, [...new Set(docIds)]);
  }

  async indexedRevisions(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const index = this.client.index<Pick<ChunkDoc, 'docId' | 'revision'>>(this.indexUid);
    for (let offset = 0; ; offset += PAGE) {
      const page = await index.getDocuments({ fields: ['docId', 'revision'], limit: PAGE, offset });
      for (const d of page.results) out.set(d.docId, d.revision);
      if (page.results.length < PAGE || offset + PAGE >= page.total) return out;
    }
  }

  async rebuild(batches: AsyncIterable<IndexedDoc[]>, onProgress?: (indexed: number) => void): Promise<void> {
    const fresh = `${this.indexUid}_${Date.now()}`;
    try {
      await this.prepare(fresh);
      let done = 0;
      for await (const batch of batches) {
        await this.addChunks(fresh, batch);
        onProgress?.((done += batch.length));
      }
      await this.prepare(this.indexUid);
      await this.done(this.client.swapIndexes([{ indexes: [this.indexUid, fresh], rename: false }]), `swap ${this.indexUid} with ${fresh}`);
    } finally {
      // After the swap `fresh` holds the old documents; before it, an unfinished new index.
      await this.client.deleteIndex(fresh).waitTask(this.wait).catch(() => undefined);
    }
  }

  async search(req: SearchRequest): Promise<SearchResult> {
    // Only words reach the engine (no phrase quotes, no `-negation`); a trailing separator means
    // the last word is finished, so Meilisearch does not match it as a prefix.
    const { words, lastIsPrefix } = queryWords(req.q);
    if (!words.length || !req.spaceIds.length) return { hits: [], total: 0 };
    const filter = [`spaceKey IN [${req.spaceIds.map((id) => filterValue(filterKey(id))).join(', ')}]`];
    if (req.kind) filter.push(`kind = ${filterValue(req.kind)}`);
    if (req.authorId) filter.push(`authorKeys = ${filterValue(filterKey(req.authorId))}`);
    if (req.updatedSince !== undefined) filter.push(`updatedAt >= ${Math.floor(req.updatedSince)}`);
    const response = await this.client.index<ChunkDoc>(this.indexUid).search(words.join(' ') + (lastIsPrefix ? '' : ' '), {
      filter: filter.join(' AND '),
      page: 1,
      hitsPerPage: req.limit,
      matchingStrategy: 'all',
      attributesToRetrieve: ['docId', 'title', 'spaceId', 'kind', 'updatedAt', 'text', 'comments'],
      attributesToHighlight: ['text', 'comments'],
      attributesToCrop: ['text', 'comments'],
      cropLength: CROP_WORDS,
      cropMarker: '…',
      highlightPreTag: MARK_OPEN,
      highlightPostTag: MARK_CLOSE,
    });
    const hits: SearchHit[] = response.hits.map((h) => ({
      docId: h.docId,
      title: h.title,
      snippet: snippetHtml(snippetOf(h._formatted?.text ?? '', h._formatted?.comments ?? '')),
      spaceId: h.spaceId,
      kind: h.kind,
      updatedAt: h.updatedAt,
    }));
    return { hits, total: response.totalHits };
  }
}

const marksIn = (raw: string) => raw.split(MARK_OPEN).length - 1;

/** The marked body piece, or the comment holding more marks than it (the chunk that matched best decides which is there). */
function snippetOf(text: string, comments: string): string {
  if (!comments) return text;
  const comment = markedComment(comments);
  return comment.marks > marksIn(text) ? comment.raw : text;
}
