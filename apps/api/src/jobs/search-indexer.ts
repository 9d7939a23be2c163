import { and, asc, documents, eq, gt, inArray, outbox, outboxOffsets, revisionAuthors, sql, type Db } from '@handoff/db';
import type { Logger } from '../logger.ts';
import type { Clock, IndexedDoc, SearchIndex } from '../domain/ports.ts';

const CONSUMER = 'search';

export interface SearchIndexer {
  start(): void;
  stop(): Promise<void>;
  /** Indexes one batch of outbox rows; returns how many rows it consumed. */
  drainOnce(): Promise<number>;
  /** Drains until the outbox is empty (for the CLI and tests). */
  drain(): Promise<void>;
  /** Wakes the loop now instead of at the next poll (called after local writes). */
  nudge(): void;
  /** Outbox rows not yet indexed. */
  backlog(): Promise<number>;
}

/**
 * Characters of comments indexed per document (the newest comments that fit, whole): far more than
 * any discussion needs to be found, and a bound on what one document's row and its re-indexing cost.
 */
export const COMMENT_CHARS_INDEXED = 100_000;

/** The documents as the search engines index them (current revision, everyone who wrote it, live comments). */
export async function loadIndexedDocs(db: Db, docIds: string[]): Promise<{ docs: IndexedDoc[]; gone: string[] }> {
  if (!docIds.length) return { docs: [], gone: [] };
  const rows = await db.select().from(documents).where(inArray(documents.id, docIds)).all();
  const live = rows.filter((r) => !r.trashedAt);
  const ids = live.map((r) => r.id);
  const [authors, comments] = live.length
    ? await Promise.all([
        db.selectDistinct({ docId: revisionAuthors.docId, userId: revisionAuthors.userId }).from(revisionAuthors).where(inArray(revisionAuthors.docId, ids)).all(),
        liveComments(db, ids),
      ])
    : [[], new Map<string, string[]>()];
  const byDoc = new Map<string, string[]>();
  for (const a of authors) byDoc.set(a.docId, [...(byDoc.get(a.docId) ?? []), a.userId]);
  const docs = live.map((r) => ({
    docId: r.id,
    spaceId: r.spaceId,
    kind: r.kind,
    title: r.title,
    text: r.text,
    comments: comments.get(r.id) ?? [],
    authors: (byDoc.get(r.id) ?? []).sort(),
    updatedAt: r.updatedAt,
    revision: r.revision,
  }));
  const liveIds = new Set(docs.map((d) => d.docId));
  return { docs, gone: docIds.filter((id) => !liveIds.has(id)) };
}

/**
 * The plain text of the comments of `docIds` that are not deleted, oldest first per document: the
 * newest ones whose lengths add up to at most COMMENT_CHARS_INDEXED (counted in SQL, so only those
 * are read). Resolved threads count: what was said there can still be looked for.
 */
async function liveComments(db: Db, docIds: string[]): Promise<Map<string, string[]>> {
  const rows = await db.all<{ docId: string; markdown: string }>(sql`
    WITH ranked AS (
      SELECT rowid AS rid, length(markdown) AS len,
             sum(length(markdown)) OVER (PARTITION BY doc_id ORDER BY created_at DESC, id DESC) AS upto
      FROM comments
      WHERE doc_id IN (SELECT value FROM json_each(${JSON.stringify(docIds)})) AND deleted_at IS NULL
    )
    SELECT c.doc_id AS docId, c.markdown AS markdown
    FROM ranked r CROSS JOIN comments c ON c.rowid = r.rid
    WHERE r.upto <= ${COMMENT_CHARS_INDEXED}
    ORDER BY c.doc_id, c.created_at, c.id`);
  const byDoc = new Map<string, string[]>();
  for (const r of rows) {
    const text = commentPlainText(r.markdown);
    if (!text) continue;
    const list = byDoc.get(r.docId);
    if (list) list.push(text);
    else byDoc.set(r.docId, [text]);
  }
  return byDoc;
}

const isAsciiWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Letters and digits for the emphasis rule: ASCII ones, and every character past ASCII (mostly letters). */
const isWordCode = (c: number) => isAsciiWordCode(c) || c > 127;

/**
 * A comment's Markdown subset (emphasis, code, links, @mentions) as the plain text search indexes
 * and shows in snippets: `[text](url)` and `![alt](url)` become their text, backticks go, and runs
 * of `*`, `_` or `~` go unless they stand inside a word (`snake_case`, `2*3`). One pass over the
 * text with forward-only look-ups (no regular expression), so hostile input costs linear time.
 */
export function commentPlainText(markdown: string): string {
  const n = markdown.length;
  let out = '';
  let from = 0;
  // Cached positions of the next `]` and `)`: each is searched for again only once passed, so the
  // searches together read the text once.
  let close = -2;
  let paren = -2;
  for (let i = 0; i < n; i++) {
    const c = markdown.charCodeAt(i);
    if (c === 91 /* [ */) {
      if (close !== -1 && close <= i) close = markdown.indexOf(']', i + 1);
      if (close > i && markdown.charCodeAt(close + 1) === 40 /* ( */) {
        if (paren !== -1 && paren <= close + 1) paren = markdown.indexOf(')', close + 2);
        if (paren > close) {
          const bang = i > from && markdown.charCodeAt(i - 1) === 33; /* ! */
          out += markdown.slice(from, bang ? i - 1 : i) + markdown.slice(i + 1, close);
          from = paren + 1;
          i = paren;
        }
      }
    } else if (c === 96 /* ` */) {
      out += markdown.slice(from, i);
      from = i + 1;
    } else if (c === 42 /* * */ || c === 95 /* _ */ || c === 126 /* ~ */) {
      let end = i;
      while (end + 1 < n && markdown.charCodeAt(end + 1) === c) end++;
      const before = i > 0 ? markdown.charCodeAt(i - 1) : 32;
      const after = end + 1 < n ? markdown.charCodeAt(end + 1) : 32;
      if (!(isWordCode(before) && isWordCode(after))) {
        out += markdown.slice(from, i);
        from = end + 1;
      }
      i = end;
    }
  }
  return (out + markdown.slice(from)).trim();
}

/**
 * Keeps the search index in step with the database by draining the transactional outbox: every
 * change that matters to search wrote an outbox row in its own transaction, so nothing is missed
 * while the engine is down — the indexer retries with backoff (capped at 30 s) and catches up
 * when it returns. Its position is stored in `outbox_offsets`, so a restart resumes where it was.
 * A row of any topic that names a document re-reads that document whole — a `thread.changed` row
 * (a comment started, replied, edited, deleted; a thread resolved or reopened) included, which is
 * how the index follows the document's live comment text.
 */
export function createSearchIndexer(deps: { db: Db; index: SearchIndex; log: Logger; clock: Clock; pollMs?: number; batchSize?: number }): SearchIndexer {
  const { db, index, log } = deps;
  const pollMs = deps.pollMs ?? 200;
  const batchSize = deps.batchSize ?? 500;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let setupDone = false;

  async function position(): Promise<number> {
    const row = await db.select({ lastId: outboxOffsets.lastId }).from(outboxOffsets).where(eq(outboxOffsets.consumer, CONSUMER)).get();
    return row?.lastId ?? 0;
  }

  async function drainOnce(): Promise<number> {
    if (!setupDone) {
      await index.setup();
      setupDone = true;
    }
    const from = await position();
    const rows = await db.select({ id: outbox.id, docId: outbox.docId }).from(outbox).where(gt(outbox.id, from)).orderBy(asc(outbox.id)).limit(batchSize).all();
    if (!rows.length) return 0;
    const docIds = [...new Set(rows.map((r) => r.docId).filter((d): d is string => !!d))];
    const { docs, gone } = await loadIndexedDocs(db, docIds);
    await index.upsert(docs);
    await index.remove(gone);
    const lastId = rows[rows.length - 1]!.id;
    await db
      .insert(outboxOffsets)
      .values({ consumer: CONSUMER, lastId, updatedAt: deps.clock.now() })
      .onConflictDoUpdate({ target: outboxOffsets.consumer, set: { lastId, updatedAt: deps.clock.now() } });
    return rows.length;
  }

  /** Waits `ms` on the clock, or until `nudge`/`stop` wakes the loop. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = deps.clock.setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        deps.clock.clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  async function run() {
    let backoff = 250;
    while (running) {
      try {
        const n = await drainOnce();
        backoff = 250;
        if (n === 0) await sleep(pollMs);
      } catch (err) {
        log.warn({ msg: 'search indexing failed; will retry', err: (err as Error).message, retryInMs: backoff });
        await sleep(backoff);
        backoff = Math.min(30_000, backoff * 2);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    drainOnce,
    async drain() {
      while ((await drainOnce()) > 0) {
        /* keep going */
      }
    },
    nudge() {
      wake?.();
    },
    async backlog() {
      const from = await position();
      const rows = await db.select({ id: outbox.id }).from(outbox).where(and(gt(outbox.id, from))).all();
      return rows.length;
    },
  };
}
