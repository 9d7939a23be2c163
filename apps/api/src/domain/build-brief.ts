import { and, eq, memberships, spaces, sql, type DbOrTx } from '@handoff/db';
import { diffBlocks, isTrivialChange, summarizeDiff, type DiffBlock } from '@handoff/shared/diff';
import { roleIn, type SpaceRow, type UserRow } from './access.ts';
import { EMPTY_BLOCKS, cachedRevisionBlocks, revisionBlocks, sentenceWeight, sentencesOf, type RevisionBlocks } from './brief-blocks.ts';
import type { BriefDraft, BriefItemFacts, BriefReason } from './ports.ts';

/*
 * What changed for one reader over a window: the selection, the reasons, the score, the facts of
 * each item and the reading-time budget. Everything is read with the reader's permissions *now*.
 *
 * Selection. Revisions created in (since, until] of every document in a space the reader may read
 * now (`roleIn`: workspace admins read every space), not in the trash. Left out: revisions made
 * only by the reader, and revisions the reader has already seen. "Seen" is the reader's
 * `views.revision` for the document, raised to the last revision the reader wrote alone (writing
 * a revision means having had the one before it open). The remaining revisions of a document fold
 * into one item from the revision before the first of them to the last of them; its diff is left
 * out as trivial (whitespace, ≤ 5 changed characters in body and title) unless a decision's status
 * changed on the way. A document created in the window is never trivial.
 *
 * Reasons. `decision`: a decision record changed status or text, in a space the reader belongs to
 * (or one she owns, or has another reason for); `mention`: the reader was newly mentioned in one
 * of the revisions (by someone else); `owner`: the reader created the document or wrote any
 * revision of it; `watch`: she watches it or its space; `new`: created in the window in a space
 * she is a member of. A change with no reason is not in the brief.
 *
 * Score. The weights below summed over the reasons: each weight is larger than all the smaller
 * ones together, so the most important reason decides and more reasons break ties within it;
 * then the size of the change (characters), then recency.
 *
 * Budget. Items are taken in score order while the estimated reading time (230 words a minute
 * over what a writer prints for them) stays within the budget (default 3 minutes; the first item
 * always fits); the rest are counted in `omitted`.
 *
 * Cost. A fixed number of queries whatever the number of documents (spaces, window revisions with
 * their authors, views, authorship, mentions, watches, the two ends of each change, authors'
 * names, the texts of the kept items); each revision's blocks are parsed once and cached.
 */

export const REASON_WEIGHTS: Readonly<Record<BriefReason, number>> = { decision: 1000, mention: 500, owner: 250, watch: 100, new: 50 };
/** Most important first. */
export const REASON_ORDER: readonly BriefReason[] = ['decision', 'mention', 'owner', 'watch', 'new'];
export const DEFAULT_BUDGET_SECONDS = 180;
export const WORDS_PER_MINUTE = 230;
/** Key sentences kept per side (added, removed) and item. */
export const MAX_SENTENCES = 3;
/** Writers shorten quotations (messages, sentences) to this many characters. */
export const MAX_QUOTE_CHARS = 280;
const MAX_SECTIONS = 6;
/** Sentences looked at per side of one item (a new 5,000-paragraph document needs no more). */
const SENTENCE_SCAN_LIMIT = 400;
/** Word edits past which a changed block counts as removed and added whole. */
const WORD_EDITS = 64;
const DAY = 24 * 3600_000;

export interface BuildBriefOptions {
  since: number;
  until: number;
  budgetSeconds?: number | undefined;
  /**
   * Also look at revisions up to this long before `since`, counting `briefed` as seen: a revision
   * is stamped before its transaction commits, so one stamped just before the previous brief's
   * end may have become visible only after that brief was read.
   */
  overlapMs?: number | undefined;
  /** Revisions (by document, up to and including) the reader's previous brief already told her of. */
  briefed?: ReadonlyMap<string, number> | undefined;
}

export interface BuiltBrief {
  draft: BriefDraft;
  /** The documents counted in `omitted`. */
  omittedDocIds: string[];
}

interface WindowRow {
  docId: string;
  revision: number;
  createdAt: number;
  message: string | null;
  decision: string | null;
  title: string;
  authors: string | null;
  spaceId: string;
  kind: 'page' | 'decision';
  createdBy: string;
}

interface Candidate {
  docId: string;
  spaceId: string;
  kind: 'page' | 'decision';
  revisions: WindowRow[];
  selected: WindowRow[];
  from: number;
  to: number;
  reasons: Set<BriefReason>;
}

const json = (value: unknown) => JSON.stringify(value);
const authorsOf = (row: WindowRow) => (row.authors ? row.authors.split(',') : []);
const statusOf = (decision: string | null): string | null => {
  if (!decision) return null;
  try {
    const status = (JSON.parse(decision) as { status?: unknown }).status;
    return typeof status === 'string' ? status : null;
  } catch {
    return null;
  }
};
const ownersOf = (decision: string | null): string[] => {
  if (!decision) return [];
  try {
    const owners = (JSON.parse(decision) as { owners?: unknown }).owners;
    return Array.isArray(owners) ? owners.filter((o): o is string => typeof o === 'string') : [];
  } catch {
    return [];
  }
};

export function countWords(text: string): number {
  let n = 0;
  for (const word of text.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(word)) n++;
  return n;
}

/** Reading time of a Markdown text at 230 words a minute (link destinations and markup not counted). */
export function readingSecondsOf(markdown: string): number {
  const prose = markdown.replace(/\]\([^)\s]*\)/g, ']').replace(/[#*_`>|\\[\]~-]/g, ' ');
  return Math.ceil((countWords(prose) * 60) / WORDS_PER_MINUTE);
}

/** About how many words a writer prints for an item (its heading, who and why, sections, quotations). */
export function estimateItemWords(item: BriefItemFacts): number {
  const quote = (text: string) => Math.min(countWords(text), Math.ceil(MAX_QUOTE_CHARS / 6)) + 1;
  let words = 8 + countWords(item.title) + countWords(item.spaceName);
  for (const author of item.authors) words += countWords(author.name) + 1;
  for (const message of item.messages) words += countWords(message.author) + quote(message.text);
  if (item.renamedFrom) words += 3 + countWords(item.renamedFrom);
  words += item.decisionPath.length * 2;
  for (const section of item.sections) words += countWords(section);
  for (const sentence of [...item.added, ...item.removed]) words += quote(sentence);
  return words;
}

/** The link to the web app's diff of exactly these revisions (a new document: from its first). */
export function diffUrlOf(docId: string, fromRevision: number, toRevision: number): string {
  const from = fromRevision > 0 ? fromRevision : 1;
  const path = `/docs/${encodeURIComponent(docId)}`;
  return from === toRevision ? path : `${path}?diff=${from}..${toRevision}`;
}

export function scoreOf(reasons: readonly BriefReason[]): number {
  return reasons.reduce((sum, reason) => sum + REASON_WEIGHTS[reason], 0);
}

/** Score, then size of the change, then recency (then id, so equal items keep one order). */
export function compareItems(a: BriefItemFacts, b: BriefItemFacts): number {
  return b.score - a.score || b.changedChars - a.changedChars || b.lastChangedAt - a.lastChangedAt || (a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : 0);
}

/** The reader's brief over (since, until]: facts only; a `BriefWriter` turns them into prose. */
export async function buildBrief(db: DbOrTx, reader: UserRow, options: BuildBriefOptions): Promise<BuiltBrief> {
  const { since, until } = options;
  const from = since - (options.overlapMs ?? 0);
  const briefed = options.briefed ?? new Map<string, number>();
  const budgetSeconds = options.budgetSeconds ?? DEFAULT_BUDGET_SECONDS;
  const empty: BuiltBrief = { draft: { reader: { id: reader.id, name: reader.name, timezone: reader.timezone }, since, until, items: [], omitted: 0 }, omittedDocIds: [] };

  // 1. Spaces the reader may read now, and those she is a member of.
  const spaceRows = await db
    .select({ id: spaces.id, name: spaces.name, private: spaces.private, role: memberships.role })
    .from(spaces)
    .leftJoin(memberships, and(eq(memberships.spaceId, spaces.id), eq(memberships.userId, reader.id)))
    .all();
  const readable = new Map<string, string>();
  const member = new Set<string>();
  for (const s of spaceRows) {
    if (roleIn(reader, { private: s.private } as SpaceRow, s.role ?? null) === null) continue;
    readable.set(s.id, s.name);
    if (s.role) member.add(s.id);
  }
  if (!readable.size || until <= since) return empty;

  // 2. Every revision in the window of every readable document, with its authors (no bodies).
  const windowRows = await db.all<WindowRow>(sql`
    SELECT r.doc_id AS docId, r.revision AS revision, r.created_at AS createdAt, r.message AS message,
           r.decision AS decision, r.title AS title,
           (SELECT group_concat(ra.user_id) FROM revision_authors ra WHERE ra.doc_id = r.doc_id AND ra.revision = r.revision) AS authors,
           d.space_id AS spaceId, d.kind AS kind, d.created_by AS createdBy
    FROM revisions r JOIN documents d ON d.id = r.doc_id
    WHERE r.created_at > ${from} AND r.created_at <= ${until} AND d.trashed_at IS NULL
      AND d.space_id IN (SELECT value FROM json_each(${json([...readable.keys()])}))
    ORDER BY r.doc_id, r.revision`);
  if (!windowRows.length) return empty;
  const byDoc = new Map<string, WindowRow[]>();
  for (const row of windowRows) {
    const list = byDoc.get(row.docId);
    if (list) list.push(row);
    else byDoc.set(row.docId, [row]);
  }
  const docIds = json([...byDoc.keys()]);

  // 3. The reader's relation to those documents: seen, written, mentioned, watched.
  const [seenRows, authoredRows, mentionRows, watchRows] = await Promise.all([
    db.all<{ docId: string; revision: number }>(sql`
      SELECT doc_id AS docId, revision FROM views
      WHERE user_id = ${reader.id} AND doc_id IN (SELECT value FROM json_each(${docIds}))`),
    db.all<{ docId: string; lastSolo: number | null }>(sql`
      SELECT ra.doc_id AS docId,
             max(CASE WHEN NOT EXISTS (SELECT 1 FROM revision_authors o
                                       WHERE o.doc_id = ra.doc_id AND o.revision = ra.revision AND o.user_id <> ra.user_id)
                      THEN ra.revision END) AS lastSolo
      FROM revision_authors ra
      WHERE ra.user_id = ${reader.id} AND ra.doc_id IN (SELECT value FROM json_each(${docIds}))
      GROUP BY ra.doc_id`),
    db.all<{ docId: string; revision: number; mentionedBy: string | null }>(sql`
      SELECT doc_id AS docId, revision, mentioned_by AS mentionedBy FROM mentions
      WHERE user_id = ${reader.id} AND created_at > ${from} AND doc_id IN (SELECT value FROM json_each(${docIds}))`),
    db.all<{ targetType: string; targetId: string }>(sql`
      SELECT target_type AS targetType, target_id AS targetId FROM watches WHERE user_id = ${reader.id}`),
  ]);
  const seen = new Map(seenRows.map((r) => [r.docId, r.revision]));
  const authored = new Map(authoredRows.map((r) => [r.docId, r.lastSolo ?? 0]));
  const watchedDocs = new Set(watchRows.filter((w) => w.targetType === 'doc').map((w) => w.targetId));
  const watchedSpaces = new Set(watchRows.filter((w) => w.targetType === 'space').map((w) => w.targetId));
  const mentionsByDoc = new Map<string, number[]>();
  for (const m of mentionRows) {
    if (m.mentionedBy === reader.id) continue;
    mentionsByDoc.set(m.docId, [...(mentionsByDoc.get(m.docId) ?? []), m.revision]);
  }

  // 4. Fold each document's unseen revisions by others into one candidate, with its cheap reasons.
  const candidates: Candidate[] = [];
  for (const [docId, revisions] of byDoc) {
    const first = revisions[0]!;
    const lastSeen = Math.max(seen.get(docId) ?? 0, authored.get(docId) ?? 0, briefed.get(docId) ?? 0);
    const selected = revisions.filter((r) => {
      if (r.revision <= lastSeen) return false;
      const authors = authorsOf(r);
      return !(authors.length > 0 && authors.every((a) => a === reader.id));
    });
    if (!selected.length) continue;
    const from = selected[0]!.revision - 1;
    const to = selected[selected.length - 1]!.revision;
    const reasons = new Set<BriefReason>();
    if ((mentionsByDoc.get(docId) ?? []).some((rev) => rev > from && rev <= to)) reasons.add('mention');
    if (first.createdBy === reader.id || authored.has(docId)) reasons.add('owner');
    if (watchedDocs.has(docId) || watchedSpaces.has(first.spaceId)) reasons.add('watch');
    if (from === 0 && member.has(first.spaceId)) reasons.add('new');
    const mayBeDecision =
      first.kind === 'decision' && (member.has(first.spaceId) || reasons.size > 0 || selected.some((r) => ownersOf(r.decision).includes(reader.id)));
    if (!reasons.size && !mayBeDecision) continue;
    if (mayBeDecision) reasons.add('decision'); // confirmed below: the status or the text must have changed
    candidates.push({ docId, spaceId: first.spaceId, kind: first.kind, revisions, selected, from, to, reasons });
  }
  if (!candidates.length) return empty;

  // 5. The two ends of each change: bodies only where the parse is not cached yet.
  const wanted: Array<[string, number, number]> = [];
  for (const c of candidates) {
    if (c.from > 0) wanted.push([c.docId, c.from, cachedRevisionBlocks(c.docId, c.from) ? 0 : 1]);
    if (!cachedRevisionBlocks(c.docId, c.to)) wanted.push([c.docId, c.to, 1]);
  }
  const endRows = wanted.length
    ? await db.all<{ docId: string; revision: number; title: string; decision: string | null; content: string | null }>(sql`
        SELECT r.doc_id AS docId, r.revision AS revision, r.title AS title, r.decision AS decision,
               CASE WHEN json_extract(j.value, '$[2]') = 1 THEN r.content END AS content
        FROM json_each(${json(wanted)}) j
        JOIN revisions r ON r.doc_id = json_extract(j.value, '$[0]') AND r.revision = json_extract(j.value, '$[1]')`)
    : [];
  const ends = new Map(endRows.map((r) => [`${r.docId}\u0000${r.revision}`, r]));
  const blocksAt = (docId: string, revision: number): RevisionBlocks => {
    if (revision === 0) return EMPTY_BLOCKS;
    const cached = cachedRevisionBlocks(docId, revision);
    if (cached) return cached;
    const content = ends.get(`${docId}\u0000${revision}`)?.content;
    return content == null ? EMPTY_BLOCKS : revisionBlocks(docId, revision, content);
  };

  // 6. Diff, drop the trivial, gather the facts that rank (the wording comes later, for kept items).
  const drafts: Array<{ item: BriefItemFacts; authorIds: string[]; messages: Array<{ authors: string[]; text: string }>; describe: () => void }> = [];
  for (const c of candidates) {
    const fromRow = c.from > 0 ? ends.get(`${c.docId}\u0000${c.from}`) : undefined;
    const toRow = c.selected[c.selected.length - 1]!;
    const before = blocksAt(c.docId, c.from);
    const after = blocksAt(c.docId, c.to);
    // A bounded word diff: a block rewritten past WORD_EDITS counts as removed and added whole,
    // which is all a brief needs from it (whether it is trivial, how much changed).
    const diff = diffBlocks(before.blocks, after.blocks, { maxWordEdits: WORD_EDITS });
    const fromTitle = c.from > 0 ? (fromRow?.title ?? toRow.title) : '';
    const titleDiff = fromTitle === toRow.title ? [] : diffBlocks(fromTitle ? [fromTitle] : [], [toRow.title], { maxWordEdits: WORD_EDITS });
    const trivial = c.from > 0 && isTrivialChange(diff) && isTrivialChange(titleDiff);

    const path: string[] = [];
    if (c.kind === 'decision') {
      const statuses = [c.from > 0 ? statusOf(fromRow?.decision ?? null) : null, ...c.revisions.filter((r) => r.revision > c.from && r.revision <= c.to).map((r) => statusOf(r.decision))];
      for (const status of statuses) if (status && path[path.length - 1] !== status) path.push(status);
    }
    const statusChanged = path.length > 1;
    if (trivial && !statusChanged) continue;
    const reasons = REASON_ORDER.filter((r) => c.reasons.has(r));
    if (!reasons.length) continue;

    const summary = summarizeDiff(diff);
    const titleSummary = summarizeDiff(titleDiff);
    const titleChars = titleSummary.addedChars + titleSummary.removedChars + titleSummary.changedChars;
    const authorIds: string[] = [];
    const messages: Array<{ authors: string[]; text: string }> = [];
    for (const r of c.selected) {
      const others = authorsOf(r).filter((a) => a !== reader.id);
      for (const a of others) if (!authorIds.includes(a)) authorIds.push(a);
      const text = r.message?.trim();
      if (text) messages.push({ authors: others, text });
    }
    const item: BriefItemFacts = {
      docId: c.docId,
      title: toRow.title,
      spaceId: c.spaceId,
      spaceName: readable.get(c.spaceId) ?? '',
      kind: c.kind,
      reasons,
      fromRevision: c.from,
      toRevision: c.to,
      authors: [],
      messages: [],
      ...(c.from > 0 && fromTitle !== toRow.title ? { renamedFrom: fromTitle } : {}),
      sections: [],
      added: [],
      removed: [],
      decisionPath: path,
      text: '',
      changedChars: summary.addedChars + summary.removedChars + summary.changedChars + titleChars,
      diffUrl: diffUrlOf(c.docId, c.from, c.to),
      score: scoreOf(reasons),
      lastChangedAt: toRow.createdAt,
    };
    drafts.push({
      item,
      authorIds,
      messages,
      describe: () => Object.assign(item, describeDiff(diff, before, after)),
    });
  }
  if (!drafts.length) return empty;

  // 7. Names of the authors.
  const people = new Set(drafts.flatMap((d) => d.authorIds));
  const nameRows = people.size
    ? await db.all<{ id: string; name: string }>(sql`SELECT id, name FROM users WHERE id IN (SELECT value FROM json_each(${json([...people])}))`)
    : [];
  const names = new Map(nameRows.map((r) => [r.id, r.name]));
  const nameOf = (id: string) => names.get(id) ?? 'Someone';

  // 8. Rank, then describe and keep items while they fit the reading-time budget.
  drafts.sort((a, b) => compareItems(a.item, b.item));
  const budgetWords = (budgetSeconds * WORDS_PER_MINUTE) / 60;
  let words = 15; // the header
  let kept = 0;
  for (const d of drafts) {
    d.item.authors = d.authorIds.map((id) => ({ id, name: nameOf(id) }));
    d.item.messages = d.messages.map((m) => ({ author: m.authors.length ? m.authors.map(nameOf).join(' and ') : 'Someone', text: m.text }));
    d.describe();
    const next = words + estimateItemWords(d.item);
    if (kept > 0 && next > budgetWords) break;
    words = next;
    kept++;
  }
  const items = drafts.slice(0, kept).map((d) => d.item);
  const omittedItems = drafts.slice(kept).map((d) => d.item);

  // 9. The text of each kept item's last revision: the only text an LLM writer may quote.
  const texts = await db.all<{ docId: string; revision: number; text: string }>(sql`
    SELECT r.doc_id AS docId, r.revision AS revision, r.text AS text
    FROM json_each(${json(items.map((i) => [i.docId, i.toRevision]))}) j
    JOIN revisions r ON r.doc_id = json_extract(j.value, '$[0]') AND r.revision = json_extract(j.value, '$[1]')`);
  const textOf = new Map(texts.map((t) => [t.docId, t.text]));
  for (const item of items) item.text = textOf.get(item.docId) ?? '';

  return {
    draft: { reader: { id: reader.id, name: reader.name, timezone: reader.timezone }, since, until, items, omitted: omittedItems.length },
    omittedDocIds: omittedItems.map((i) => i.docId),
  };
}

/** The default start of a reader's window: 7 days before `now`. */
export function defaultSince(now: number): number {
  return now - 7 * DAY;
}

const normalize = (sentence: string) => sentence.replace(/\s+/g, ' ').trim().toLowerCase();

/** Sections (nearest heading above each change) and the key sentences added and removed. */
export function describeDiff(diff: readonly DiffBlock[], before: RevisionBlocks, after: RevisionBlocks) {
  const beforeIndex = indexOf(before);
  const afterIndex = indexOf(after);
  const sections: string[] = [];
  const added: Array<{ s: string; at: number }> = [];
  const removed: Array<{ s: string; at: number }> = [];
  let heading: string | null = null;
  let at = 0;
  for (const block of diff) {
    const ai = block.op === 'removed' ? undefined : afterIndex.get(block.after);
    const bi = block.op === 'added' ? undefined : beforeIndex.get(block.before);
    const ownHeading = (ai !== undefined ? after.headings[ai] : null) ?? (bi !== undefined ? before.headings[bi] : null);
    if (ownHeading) heading = ownHeading;
    if (block.op === 'same') continue;
    if (heading && !sections.includes(heading) && sections.length < MAX_SECTIONS) sections.push(heading);
    if (ownHeading) continue; // a heading's own change is the section name
    const beforeSentences = bi !== undefined && removed.length < SENTENCE_SCAN_LIMIT ? sentencesOf(before.texts[bi] ?? '') : [];
    const afterSentences = ai !== undefined && added.length < SENTENCE_SCAN_LIMIT ? sentencesOf(after.texts[ai] ?? '') : [];
    const beforeSet = new Set(beforeSentences.map(normalize));
    const afterSet = new Set(afterSentences.map(normalize));
    for (const s of afterSentences) if (!beforeSet.has(normalize(s))) added.push({ s, at: at++ });
    for (const s of beforeSentences) if (!afterSet.has(normalize(s))) removed.push({ s, at: at++ });
  }
  // A sentence that only moved (removed in one place, added in another) is no news.
  const addedSet = new Set(added.map((x) => normalize(x.s)));
  const removedSet = new Set(removed.map((x) => normalize(x.s)));
  const pick = (list: Array<{ s: string; at: number }>, other: Set<string>) => {
    const seen = new Set<string>();
    return list
      .filter((x) => !other.has(normalize(x.s)) && !seen.has(normalize(x.s)) && seen.add(normalize(x.s)))
      .map((x) => ({ ...x, weight: sentenceWeight(x.s) }))
      .filter((x) => x.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.at - b.at)
      .slice(0, MAX_SENTENCES)
      .map((x) => x.s);
  };
  const keptAdded = pick(added, removedSet);
  // A removed sentence whose words live on in an added one was edited, not removed: the added
  // sentence tells it.
  const addedWords = keptAdded.map(wordBag);
  const keptRemoved = pick(removed, addedSet).filter((s) => {
    const words = wordBag(s);
    return !addedWords.some((other) => containment(words, other) >= 0.8);
  });
  return { sections, added: keptAdded, removed: keptRemoved };
}

function wordBag(sentence: string): Map<string, number> {
  const bag = new Map<string, number>();
  for (const word of sentence.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) bag.set(word, (bag.get(word) ?? 0) + 1);
  return bag;
}

/** The share of `a`'s words that are also in `b`. */
function containment(a: Map<string, number>, b: Map<string, number>): number {
  let total = 0;
  let common = 0;
  for (const [word, n] of a) {
    total += n;
    common += Math.min(n, b.get(word) ?? 0);
  }
  return total ? common / total : 1;
}

function indexOf(blocks: RevisionBlocks): Map<string, number> {
  const index = new Map<string, number>();
  blocks.blocks.forEach((b, i) => {
    if (!index.has(b)) index.set(b, i);
  });
  return index;
}
