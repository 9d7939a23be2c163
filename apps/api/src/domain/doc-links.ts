import { sql, type DbOrTx } from '@handoff/db';

/*
 * The doc-link graph (`doc_links`): which documents a document's current revision links to. A
 * link counts when its URL's path is `/docs/<id>`: relative (as the editor's DocLinkNode and the
 * Markdown import write it) or absolute on any host (a link pasted from the address bar), with or
 * without a `?query` or `#hash`. Written with each revision, in its transaction (revision-writer.ts);
 * `npx handoff reindex` and jobs/doc-links-backfill.ts fill it for documents written before.
 * A brief's `linked` reason and its `decision` reason read it, in both directions.
 */

/** Links read per body (a body with more links keeps its first ones). */
export const MAX_LINKS_PER_DOC = 1_000;

/** `/docs/<id>` at the start of a path, then the end, a slash, `?` or `#`. */
const DOC_PATH = /^\/docs\/([A-Za-z0-9_-]{1,64})\/?(?:[?#].*)?$/s;
const ABSOLUTE = /^[a-z][a-z0-9+.-]{0,31}:\/\/[^/?#]*(\/[^?#]*)?([?#].*)?$/is;

/** The document id a link's URL points at (relative `/docs/<id>`, or absolute on any host), or null. */
export function docIdOfUrl(url: string): string | null {
  if (url.length > 2_048) return null;
  const trimmed = url.trim();
  let path = trimmed;
  if (!trimmed.startsWith('/')) {
    const absolute = ABSOLUTE.exec(trimmed);
    if (!absolute) return null;
    path = `${absolute[1] ?? '/'}${absolute[2] ?? ''}`;
  } else if (trimmed.startsWith('//')) {
    // Protocol-relative: `//host/docs/<id>`.
    const rest = trimmed.slice(2);
    const slash = rest.search(/[/?#]/);
    path = slash === -1 ? '/' : rest.slice(slash);
  }
  return DOC_PATH.exec(path)?.[1] ?? null;
}

/**
 * The distinct ids of the documents a revision's body (its Lexical JSON, as revisions store it)
 * links to, in document order, without `selfId`: every link node's URL (links, autolinks, doc
 * links) and every doc link's `docId`.
 */
export function docLinksIn(content: string, selfId?: string): string[] {
  const ids = new Set<string>();
  let root: unknown;
  try {
    root = JSON.parse(content);
  } catch {
    return [];
  }
  const stack: unknown[] = [root];
  while (stack.length && ids.size < MAX_LINKS_PER_DOC) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    const n = node as { type?: unknown; url?: unknown; docId?: unknown; children?: unknown; root?: unknown };
    if (n.type === 'doc-link' && typeof n.docId === 'string' && n.docId) ids.add(n.docId);
    else if (typeof n.url === 'string' && typeof n.type === 'string' && n.type.includes('link')) {
      const id = docIdOfUrl(n.url);
      if (id) ids.add(id);
    }
    if (Array.isArray(n.children)) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    if (n.root) stack.push(n.root);
  }
  if (selfId !== undefined) ids.delete(selfId);
  return [...ids];
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * Makes `docId`'s rows of `doc_links` exactly `targets` (less itself, and ids of no document):
 * links kept keep their `created_at`. Run in the transaction of the revision whose body they come from.
 */
export async function writeDocLinks(db: DbOrTx, docId: string, targets: readonly string[], now: number): Promise<void> {
  const list = json(targets.filter((t) => t !== docId));
  await db.run(sql`
    DELETE FROM doc_links WHERE doc_id = ${docId} AND target_id NOT IN (SELECT value FROM json_each(${list}))`);
  if (list === '[]') return;
  await db.run(sql`
    INSERT OR IGNORE INTO doc_links (doc_id, target_id, created_at)
    SELECT ${docId}, d.id, ${now} FROM documents d
    WHERE d.id IN (SELECT value FROM json_each(${list})) AND d.id <> ${docId}`);
}

/** Rewrites `docId`'s links from the body of its new revision (`content`: Lexical JSON). */
export async function syncDocLinks(db: DbOrTx, docId: string, content: string, now: number): Promise<void> {
  await writeDocLinks(db, docId, docLinksIn(content, docId), now);
}

/**
 * Rewrites the links of the documents after `afterId` (by id), `limit` of them, from their
 * current bodies; returns the last id done (null when there were none left) and how many.
 */
export async function refillDocLinksBatch(db: DbOrTx, afterId: string, limit: number, now: number): Promise<{ lastId: string | null; done: number }> {
  const rows = await db.all<{ id: string; content: string }>(sql`
    SELECT id, content FROM documents WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`);
  for (const row of rows) await syncDocLinks(db, row.id, row.content, now);
  return { lastId: rows.length ? rows[rows.length - 1]!.id : null, done: rows.length };
}
