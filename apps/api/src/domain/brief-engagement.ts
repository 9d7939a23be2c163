import { sql, type DbOrTx } from '@handoff/db';
import type { BriefLinkedVia } from './ports.ts';

/*
 * What ties a reader to documents beyond membership, for her brief (see build-brief.ts): the
 * spaces she has been active in lately, the documents linked with hers (the doc-link graph, both
 * directions), and the handoff notes addressed to her. One query each, whatever the number of
 * documents; each reads only her own rows through an index on her id.
 */

/** "Recently": a reader's documents edited, and spaces worked in, within this long before the brief's end. */
export const RECENT_MS = 30 * 24 * 3600_000;

const json = (value: unknown) => JSON.stringify(value);

/**
 * Spaces the reader has been active in since `recent`: she saw a new revision of one of their
 * documents (`views.seen_at` moves when she opens a revision she had not seen) or wrote one.
 */
export async function readActiveSpaces(db: DbOrTx, readerId: string, recent: number): Promise<Set<string>> {
  const rows = await db.all<{ spaceId: string }>(sql`
    SELECT d.space_id AS spaceId FROM views v CROSS JOIN documents d ON d.id = v.doc_id
    WHERE v.user_id = ${readerId} AND v.seen_at > ${recent} AND d.trashed_at IS NULL
    UNION
    SELECT d.space_id FROM revision_authors ra
    CROSS JOIN revisions rv ON rv.doc_id = ra.doc_id AND rv.revision = ra.revision
    CROSS JOIN documents d ON d.id = ra.doc_id
    WHERE ra.user_id = ${readerId} AND rv.created_at > ${recent} AND d.trashed_at IS NULL`);
  return new Set(rows.map((r) => r.spaceId));
}

/**
 * The documents linked with the reader's own (those she created, or edited since `recent`, that
 * she may read now: in `readableSpaceIds`, not in the trash), in either direction, each with one
 * of hers that ties it to her: a document of hers linking to it first, then the one edited last.
 * Her documents are found through `revision_authors` (her creation wrote its revision 1).
 */
export async function readLinkedVia(db: DbOrTx, readerId: string, readableSpaceIds: readonly string[], recent: number): Promise<Map<string, BriefLinkedVia>> {
  const rows = await db.all<{ mineId: string; title: string; otherId: string; outgoing: number; updatedAt: number }>(sql`
    WITH mine AS (
      SELECT d.id AS id, d.title AS title, d.updated_at AS updatedAt
      FROM revision_authors ra
      CROSS JOIN documents d ON d.id = ra.doc_id
      LEFT JOIN revisions rv ON rv.doc_id = ra.doc_id AND rv.revision = ra.revision
      WHERE ra.user_id = ${readerId} AND d.trashed_at IS NULL
        AND d.space_id IN (SELECT value FROM json_each(${json(readableSpaceIds)}))
        AND ((ra.revision = 1 AND d.created_by = ${readerId}) OR rv.created_at > ${recent})
      GROUP BY d.id
    )
    SELECT m.id AS mineId, m.title AS title, l.target_id AS otherId, 1 AS outgoing, m.updatedAt AS updatedAt
    FROM mine m JOIN doc_links l ON l.doc_id = m.id
    UNION ALL
    SELECT m.id, m.title, l.doc_id, 0, m.updatedAt
    FROM mine m JOIN doc_links l ON l.target_id = m.id`);
  rows.sort((a, b) => b.outgoing - a.outgoing || b.updatedAt - a.updatedAt || (a.mineId < b.mineId ? -1 : 1));
  const via = new Map<string, BriefLinkedVia>();
  for (const r of rows) {
    if (r.otherId === r.mineId || via.has(r.otherId)) continue;
    via.set(r.otherId, { docId: r.mineId, title: r.title, direction: r.outgoing ? 'links-to' : 'linked-from' });
  }
  return via;
}

/**
 * Handoff notes addressed to the reader, changed since `start`: to her (`user:<id>`), or to a
 * space she is an explicit member of (`memberSpaceIds`, which she may read).
 */
export async function readAddressedHandoffs(db: DbOrTx, readerId: string, memberSpaceIds: readonly string[], start: number): Promise<Set<string>> {
  const rows = await db.all<{ docId: string }>(sql`
    SELECT h.doc_id AS docId FROM handoff_recipients h CROSS JOIN documents d ON d.id = h.doc_id
    WHERE h.user_id = ${readerId} AND d.updated_at > ${start} AND d.kind = 'handoff' AND d.trashed_at IS NULL
    UNION
    SELECT h.doc_id FROM handoff_recipients h CROSS JOIN documents d ON d.id = h.doc_id
    WHERE h.space_id IN (SELECT value FROM json_each(${json(memberSpaceIds)})) AND d.updated_at > ${start} AND d.kind = 'handoff' AND d.trashed_at IS NULL`);
  return new Set(rows.map((r) => r.docId));
}
