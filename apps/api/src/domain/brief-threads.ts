import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Nodes } from 'mdast';
import { sql, type DbOrTx } from '@handoff/db';
import type { DocKind, UserRow } from './model.ts';
import type { BriefThreadFacts } from './ports.ts';

/*
 * The comment threads of a reader's brief (reasons `asked` and `thread`), read for the spaces she
 * may read now, on documents not in the trash. Comments never make revisions, so this is read
 * beside the window's revisions, not from them.
 *
 * `asked`: a thread asked her something (addressed when it was started, or @mentioned in a
 * comment, by someone else: `thread_asks`) within the window, it is still open, and she has not
 * answered since (a comment of hers, not deleted, after she was asked: the rule of "waiting on
 * you"). `thread`: someone else wrote in the window in a thread she started or wrote in, after her
 * last comment there (writing a comment means having read the thread up to it).
 *
 * Each thread tells the comments by others in the window after her last comment (never deleted
 * ones, never hers; the newest few quoted, the others counted), its anchored text as stored with
 * the thread (and whether it was orphaned when last resolved), who asked, who resolved it.
 *
 * Cost: two queries whatever the number of threads: the threads active in the window that
 * concern her (through `threads.updated_at`, which every comment, resolve and reopen moves on),
 * then their comments of the window.
 */

/** Newest replies quoted per thread (the others are counted). */
export const MAX_THREAD_REPLIES = 4;
/** Threads told per document, the most important first (the others are counted). */
export const MAX_THREADS_PER_ITEM = 6;
/** A reply is stored in a brief up to this many characters (writers shorten it further). */
const MAX_REPLY_CHARS = 1_000;

/** Comments and asks a previous brief already told of (its window overlaps this one's start). */
export interface BriefedThreads {
  comments: ReadonlySet<string>;
  /** `askKey(threadId, askedAt)` of each `asked` thread told. */
  asks: ReadonlySet<string>;
}

export const askKey = (threadId: string, askedAt: number) => `${threadId}\u0000${askedAt}`;

/** One document's thread news for the reader. */
export interface DocThreadNews {
  docId: string;
  spaceId: string;
  title: string;
  kind: DocKind;
  /** The document's current revision. */
  revision: number;
  threads: BriefThreadFacts[];
  /** Threads with news left out for length. */
  otherThreads: number;
  /** Characters of the new comments (for ranking, like the characters of a change). */
  chars: number;
  /** The newest comment or ask. */
  lastAt: number;
}

/** The web app's document page scrolled to a thread. */
export function threadUrlOf(docId: string, threadId: string): string {
  return `/docs/${encodeURIComponent(docId)}?thread=${encodeURIComponent(threadId)}`;
}

/** A comment's Markdown subset as the plain text a reader sees (link and emphasis marks dropped). */
export function commentText(markdown: string): string {
  const out: string[] = [];
  const walk = (node: Nodes) => {
    switch (node.type) {
      case 'text':
      case 'inlineCode':
      case 'html':
        out.push(node.value);
        return;
      case 'code':
        out.push(node.value, '\n');
        return;
      case 'break':
        out.push('\n');
        return;
      case 'image':
        out.push(node.alt ?? '');
        return;
      default:
        if ('children' in node) for (const child of node.children as Nodes[]) walk(child);
        if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'listItem') out.push('\n');
    }
  };
  walk(fromMarkdown(markdown));
  return out.join('').replace(/\n{2,}/g, '\n').trim();
}

const json = (value: unknown) => JSON.stringify(value);

interface ThreadRowOut {
  threadId: string;
  docId: string;
  quote: string | null;
  anchored: number;
  orphaned: number;
  status: 'open' | 'resolved';
  resolvedBy: string | null;
  resolvedByName: string | null;
  spaceId: string;
  title: string;
  kind: DocKind;
  revision: number;
  askedBy: string | null;
  askedByName: string | null;
  askedAt: number | null;
  lastMine: number | null;
  lastMineLive: number | null;
}

interface CommentRowOut {
  id: string;
  threadId: string;
  authorId: string;
  author: string | null;
  markdown: string;
  createdAt: number;
}

/**
 * The reader's thread news over (start, until], by document, in `readableSpaceIds` (the access
 * policy's answer for her now). `briefed`: what the previous brief told of (see `BriefedThreads`).
 */
export async function readThreadNews(
  db: DbOrTx,
  reader: UserRow,
  readableSpaceIds: readonly string[],
  start: number,
  until: number,
  briefed?: BriefedThreads | undefined,
): Promise<Map<string, DocThreadNews>> {
  const news = new Map<string, DocThreadNews>();
  if (!readableSpaceIds.length || until <= start) return news;
  // CROSS JOIN keeps SQLite on threads_updated_idx (the threads active in the window), not on every
  // document of the readable spaces; `+m.author_id` keeps the reader's comments on the thread's
  // index (a thread has few comments, a reader may have written thousands).
  const threadRows = await db.all<ThreadRowOut>(sql`
    SELECT t.id AS threadId, t.doc_id AS docId, t.quote AS quote, (t.anchor_start IS NOT NULL) AS anchored,
           t.orphaned AS orphaned, t.status AS status, t.resolved_by AS resolvedBy, ur.name AS resolvedByName,
           d.space_id AS spaceId, d.title AS title, d.kind AS kind, d.revision AS revision,
           a.asked_by AS askedBy, ua.name AS askedByName, a.asked_at AS askedAt,
           (SELECT max(m.created_at) FROM comments m WHERE m.thread_id = t.id AND +m.author_id = ${reader.id}) AS lastMine,
           (SELECT max(m.created_at) FROM comments m WHERE m.thread_id = t.id AND +m.author_id = ${reader.id} AND m.deleted_at IS NULL) AS lastMineLive
    FROM threads t
    CROSS JOIN documents d ON d.id = t.doc_id
    LEFT JOIN thread_asks a ON a.thread_id = t.id AND a.user_id = ${reader.id}
    LEFT JOIN users ua ON ua.id = a.asked_by
    LEFT JOIN users ur ON ur.id = t.resolved_by
    WHERE t.updated_at > ${start} AND d.trashed_at IS NULL
      AND d.space_id IN (SELECT value FROM json_each(${json(readableSpaceIds)}))
      AND (a.thread_id IS NOT NULL OR EXISTS (SELECT 1 FROM comments m WHERE m.thread_id = t.id AND +m.author_id = ${reader.id}))`);
  if (!threadRows.length) return news;
  const commentRows = await db.all<CommentRowOut>(sql`
    SELECT c.id AS id, c.thread_id AS threadId, c.author_id AS authorId, u.name AS author, c.markdown AS markdown, c.created_at AS createdAt
    FROM comments c LEFT JOIN users u ON u.id = c.author_id
    WHERE c.thread_id IN (SELECT value FROM json_each(${json(threadRows.map((t) => t.threadId))}))
      AND c.created_at > ${start} AND c.created_at <= ${until} AND c.deleted_at IS NULL AND c.author_id <> ${reader.id}
    ORDER BY c.created_at, c.id`);
  const byThread = new Map<string, CommentRowOut[]>();
  for (const c of commentRows) {
    const list = byThread.get(c.threadId);
    if (list) list.push(c);
    else byThread.set(c.threadId, [c]);
  }

  const found: Array<{ row: ThreadRowOut; facts: BriefThreadFacts; chars: number; lastAt: number }> = [];
  for (const row of threadRows) {
    const asked =
      row.askedAt !== null &&
      row.askedBy !== null &&
      row.askedBy !== reader.id &&
      row.askedAt > start &&
      row.askedAt <= until &&
      row.status === 'open' &&
      !(row.lastMineLive !== null && row.lastMineLive >= row.askedAt) &&
      !briefed?.asks.has(askKey(row.threadId, row.askedAt));
    const seenUntil = row.lastMine ?? -Infinity;
    const fresh = (byThread.get(row.threadId) ?? []).filter((c) => c.createdAt > seenUntil && !briefed?.comments.has(c.id));
    if (!asked && !(row.lastMine !== null && fresh.length)) continue;
    const quoted = fresh.slice(-MAX_THREAD_REPLIES);
    const facts: BriefThreadFacts = {
      threadId: row.threadId,
      reason: asked ? 'asked' : 'thread',
      ...(asked ? { askedBy: { id: row.askedBy!, name: row.askedByName ?? 'Someone' }, askedAt: row.askedAt! } : {}),
      quote: row.anchored ? (row.quote ?? '') : null,
      orphaned: Boolean(row.anchored) && Boolean(row.orphaned),
      ...(row.status === 'resolved' && row.resolvedBy ? { resolvedBy: { id: row.resolvedBy, name: row.resolvedByName ?? 'Someone' } } : {}),
      replies: quoted.map((c) => ({ commentId: c.id, authorId: c.authorId, author: c.author ?? 'Someone', text: commentText(c.markdown).slice(0, MAX_REPLY_CHARS), createdAt: c.createdAt })),
      commentIds: fresh.map((c) => c.id),
      url: threadUrlOf(row.docId, row.threadId),
    };
    const chars = fresh.reduce((sum, c) => sum + c.markdown.length, 0);
    const lastAt = Math.max(row.askedAt !== null && asked ? row.askedAt : 0, ...fresh.map((c) => c.createdAt));
    found.push({ row, facts, chars, lastAt });
  }
  // Asked first, then the most recent.
  found.sort((a, b) => (a.facts.reason === b.facts.reason ? 0 : a.facts.reason === 'asked' ? -1 : 1) || b.lastAt - a.lastAt || (a.row.threadId < b.row.threadId ? -1 : 1));
  for (const { row, facts, chars, lastAt } of found) {
    let doc = news.get(row.docId);
    if (!doc) {
      doc = { docId: row.docId, spaceId: row.spaceId, title: row.title, kind: row.kind, revision: row.revision, threads: [], otherThreads: 0, chars: 0, lastAt: 0 };
      news.set(row.docId, doc);
    }
    if (doc.threads.length < MAX_THREADS_PER_ITEM) doc.threads.push(facts);
    else doc.otherThreads++;
    doc.chars += chars;
    doc.lastAt = Math.max(doc.lastAt, lastAt);
  }
  return news;
}

/** What became of comments a stored brief quotes: their text now, or absent when deleted (or gone). */
export async function commentsNow(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  const now = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.all<{ id: string; markdown: string }>(sql`
      SELECT id, markdown FROM comments WHERE id IN (SELECT value FROM json_each(${json(ids.slice(i, i + 500))})) AND deleted_at IS NULL`);
    for (const r of rows) now.set(r.id, commentText(r.markdown).slice(0, MAX_REPLY_CHARS));
  }
  return now;
}
