import { sql, type DbOrTx } from '@handoff/db';
import { HANDOFF_SECTIONS as TEMPLATE_SECTIONS, handoffSectionOf } from '@handoff/shared/handoff-template';
import type { DocKind, UserRow } from './model.ts';
import type { BriefHandoffAsk, BriefHandoffFacts } from './ports.ts';

/*
 * Handoff notes in a brief: the note's sections as its revision's Markdown has them (the handoff
 * template writes `## Done`, `## In progress / next`, `## Blocked on`, `## Decisions needed`,
 * `## Handing over to`; headings are read as the server reads them for asks and the handoff log:
 * any level, case-insensitively, `handoffSectionOf`), and the asks of notes waiting on the reader (`handoff_asks`: "blocked on
 * @you", "decision needed from @you"), which make the reason `asked`.
 */

/** The section headings a handoff note's item shows, by the template's key. */
const HEADINGS = new Map<string, string>(TEMPLATE_SECTIONS.map((s) => [s.key, s.heading]));
/** Items shown per section (the others are counted). */
export const MAX_SECTION_ITEMS = 5;
/** Characters kept per item. */
const MAX_ITEM_CHARS = 200;
/** Lines of a note read (a note is short; a pasted book is not read to its end). */
const MAX_LINES = 2_000;

/** Characters of a line looked at (a note's lines are short; the rest of a long one is cut). */
const MAX_LINE_CHARS = 600;

/** A `#`…`######` heading's level and text (closing `#`s dropped), or null. */
function headingOf(line: string): { level: number; text: string } | null {
  let level = 0;
  while (level < line.length && line[level] === '#') level++;
  if (level === 0 || level > 6 || (line[level] !== ' ' && line[level] !== '\t')) return null;
  let end = line.length;
  while (end > level && (line[end - 1] === '#' || line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return { level, text: line.slice(level, end).trim() };
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** A Markdown line as plain text: list markers, task boxes, emphasis, code and link syntax dropped. */
function plainLine(line: string): string {
  return line
    .slice(0, MAX_LINE_CHARS)
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])(?:\s+|$)/, '')
    .replace(/^\[[ xX]\]\s+/, '')
    // eslint-disable-next-line regexp/no-super-linear-move -- only ever run on a line cut to MAX_LINE_CHARS (600) characters
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]+/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The known sections of a handoff note's Markdown that have text, in the note's order. */
export function handoffSectionsOf(markdown: string): BriefHandoffFacts['sections'] {
  const sections: BriefHandoffFacts['sections'] = [];
  let current: BriefHandoffFacts['sections'][number] | null = null;
  const lines = markdown.split('\n', MAX_LINES);
  for (const line of lines) {
    const heading = headingOf(line.slice(0, MAX_LINE_CHARS));
    if (heading) {
      const key = handoffSectionOf(heading.text);
      const known = key ? HEADINGS.get(key) : undefined;
      current = known && !sections.some((s) => s.heading === known) ? { heading: known, items: [], more: 0 } : null;
      if (current) sections.push(current);
      continue;
    }
    if (!current) continue;
    const text = plainLine(line);
    if (!text) continue;
    if (current.items.length < MAX_SECTION_ITEMS) current.items.push(shorten(text, MAX_ITEM_CHARS));
    else current.more++;
  }
  return sections.filter((s) => s.items.length > 0);
}

/** A handoff note waiting on the reader, with its asks. */
export interface DocHandoffAsks {
  docId: string;
  spaceId: string;
  title: string;
  kind: DocKind;
  /** The note's current revision. */
  revision: number;
  asks: BriefHandoffAsk[];
  lastAt: number;
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * The handoff asks of others waiting on the reader, made in (start, until], unanswered, on notes
 * in `readableSpaceIds` not in the trash, by document; without those of revisions her previous
 * brief told of (`briefed`). One query (through `handoff_asks_user_idx`).
 */
export async function readHandoffAsks(
  db: DbOrTx,
  reader: UserRow,
  readableSpaceIds: readonly string[],
  start: number,
  until: number,
  briefed: ReadonlyMap<string, number>,
): Promise<Map<string, DocHandoffAsks>> {
  const byDoc = new Map<string, DocHandoffAsks>();
  if (!readableSpaceIds.length || until <= start) return byDoc;
  const rows = await db.all<{
    docId: string;
    section: 'blocked' | 'decision';
    text: string;
    askedBy: string;
    askedByName: string | null;
    askedAt: number;
    revision: number;
    spaceId: string;
    title: string;
    kind: DocKind;
    docRevision: number;
  }>(sql`
    SELECT a.doc_id AS docId, a.section AS section, a.text AS text, a.asked_by AS askedBy, u.name AS askedByName,
           a.asked_at AS askedAt, a.revision AS revision, d.space_id AS spaceId, d.title AS title, d.kind AS kind, d.revision AS docRevision
    FROM handoff_asks a
    CROSS JOIN documents d ON d.id = a.doc_id
    LEFT JOIN users u ON u.id = a.asked_by
    WHERE a.user_id = ${reader.id} AND a.asked_at > ${start} AND a.asked_at <= ${until}
      AND a.answered_at IS NULL AND a.asked_by <> ${reader.id} AND d.trashed_at IS NULL
      AND d.space_id IN (SELECT value FROM json_each(${json(readableSpaceIds)}))
    ORDER BY a.asked_at, a.section, a.text`);
  for (const r of rows) {
    if ((briefed.get(r.docId) ?? 0) >= r.revision) continue;
    let doc = byDoc.get(r.docId);
    if (!doc) {
      doc = { docId: r.docId, spaceId: r.spaceId, title: r.title, kind: r.kind, revision: r.docRevision, asks: [], lastAt: 0 };
      byDoc.set(r.docId, doc);
    }
    doc.asks.push({ section: r.section, text: r.text, askedBy: { id: r.askedBy, name: r.askedByName ?? 'Someone' }, askedAt: r.askedAt, revision: r.revision });
    doc.lastAt = Math.max(doc.lastAt, r.askedAt);
  }
  return byDoc;
}
