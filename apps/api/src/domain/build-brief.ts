import { sql, type DbOrTx } from '@handoff/db';
import { diffBlocks, isTrivialChange, type DiffBlock } from '@handoff/shared/diff';
import type { DocKind, UserRow } from './model.ts';
import {
  EMPTY_BLOCKS,
  NO_BLOCKS,
  cachedMarkdownBlocks,
  markdownBlocks,
  parseRevisionBlocks,
  sentenceWeight,
  sentencesOf,
  type MarkdownBlocks,
  type RevisionBlocks,
} from './brief-blocks.ts';
import { readThreadNews, type BriefedThreads, type DocThreadNews } from './brief-threads.ts';
import { RECENT_MS, readActiveSpaces, readAddressedHandoffs, readLinkedVia } from './brief-engagement.ts';
import { handoffSectionsOf, readHandoffAsks, type DocHandoffAsks } from './brief-handoff.ts';
import type { BriefDraft, BriefItemFacts, BriefLinkedVia, BriefReason } from './ports.ts';

/*
 * What changed for one reader over a window: the selection, the reasons, the score, the facts of
 * each item and the reading-time budget. Everything is read with the reader's permissions *now*.
 *
 * Selection. Revisions created in (since, until] of every document in a space the reader may read
 * now (the access policy: workspace admins read every space), not in the trash. Left out: revisions made
 * only by the reader, and revisions the reader has already seen. "Seen" is the reader's
 * `views.revision` for the document, raised to the last revision the reader wrote alone (writing
 * a revision means having had the one before it open). The remaining revisions of a document fold
 * into one item from the revision before the first of them to the last of them; its diff is left
 * out as trivial (whitespace, ≤ 5 changed characters in body and title) unless a decision's status
 * changed on the way. A document created in the window is never trivial.
 *
 * Reasons, most important first. `handoff`: a handoff note (kind `handoff`) addressed to her
 * (`handoff_recipients`: to her, or to a space she is an explicit member of), written by someone
 * else; its item carries the note's sections (brief-handoff.ts) and who wrote it. `decision`: a
 * decision record changed status or text, and she is a member of its space, an owner, has ever
 * opened it (a `views` row), or has another reason for it (wrote it, watches it, was mentioned in
 * it, a document of hers is linked with it, it is new in a space she works in); `asked`: someone
 * else asked her something in a comment thread of the document within the window (addressed or
 * @mentioned), the thread is still open and she has not answered since; or a handoff note's
 * "blocked on @her" / "decision needed from @her" (`handoff_asks`, unanswered, asked in the
 * window; the item carries them as `asks`); `thread`: someone else replied in the window in a
 * thread she started or wrote in (see brief-threads.ts); `mention`: the reader was newly mentioned
 * in one of the revisions (by someone else); `owner`: the reader created the document or wrote
 * any revision of it; `watch`: she watches it or its space; `linked`: a document she created, or
 * edited in the 30 days before the window's end, and may read now (not in the trash) links to
 * it or is linked from it (`doc_links`, both directions; the item names hers in `linkedVia`);
 * `new`: created in the window in a space she is a member of or was active in during those 30
 * days (saw a new revision of one of its documents, or wrote one). See brief-engagement.ts. A
 * change with no reason is not in the brief.
 *
 * Comments. Comments make no revisions, so threads are read beside the window's revisions, for
 * the same readable spaces and never in the trash. A document with thread news and a
 * (non-trivial) change is one item with both; a document with thread news only is an item whose
 * `fromRevision` and `toRevision` are both its current revision (nothing to diff; a client can
 * tell such an item by the two being equal, which a change never has) and whose `diffUrl` opens
 * the document scrolled to its first thread (handoff asks with no change to tell make such an
 * item too, opening the document). Its revision counts as told like any item's (the
 * window held no change of it worth telling her), and so do its comments (see brief-store.ts
 * `lastAcknowledged`).
 *
 * Score. The weights below summed over the reasons: each weight is larger than all the smaller
 * ones together, so the most important reason decides and more reasons break ties within it;
 * then the size of the change (characters), then recency.
 *
 * Budget. Items are taken in score order while the estimated reading time (230 words a minute
 * over what a writer prints for them) stays within the budget (default 3 minutes; the first item
 * always fits); the rest are counted in `omitted`.
 *
 * Cost. A fixed number of queries whatever the number of documents: spaces; the spaces she was
 * active in, the documents linked with hers and the handoff notes addressed to her (one each,
 * through indexes on her id); the window's revisions with their authors (only the columns stored
 * before the bodies; a shared window holds every revision of every document not in the trash, so
 * whatever any reason selects); views, authorship, mentions, watches and decision snapshots; thread
 * news and handoff asks; the Markdown of both ends of each change (each revision's split into
 * blocks is cached, revisions never change); then, for the items that fit the budget only, a
 * batch at a time, their messages, bodies (for verbatim key sentences), texts, a handoff note's
 * Markdown and authors' names. Ranking needs only the block diff; wording is done for kept items alone.
 */

export const REASON_WEIGHTS: Readonly<Record<BriefReason, number>> = {
  handoff: 8000,
  decision: 4000,
  asked: 2000,
  thread: 1000,
  mention: 500,
  owner: 250,
  watch: 100,
  linked: 50,
  new: 25,
};
/** Most important first. */
export const REASON_ORDER: readonly BriefReason[] = ['handoff', 'decision', 'asked', 'thread', 'mention', 'owner', 'watch', 'linked', 'new'];
export const DEFAULT_BUDGET_SECONDS = 180;
export const WORDS_PER_MINUTE = 230;
/** Key sentences kept per side (added, removed) and item. */
export const MAX_SENTENCES = 3;
/** Writers shorten quotations (messages, sentences) to this many characters. */
export const MAX_QUOTE_CHARS = 280;
const MAX_SECTIONS = 6;
/** Sentences looked at per side of one item (a new 5,000-paragraph document needs no more). */
const SENTENCE_SCAN_LIMIT = 400;
/**
 * Word edits past which a changed block counts as removed and added whole (bounds the word diff;
 * an edit of ≤ 5 characters takes fewer, so it stays precise where triviality is decided).
 */
const WORD_EDITS = 12;
/** A change of at most this many characters (or of whitespace only) is not worth a reader's time. */
const TRIVIAL_CHARS = 5;
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
  /** Comments and asks the reader's previous brief already told her of. */
  briefedThreads?: BriefedThreads | undefined;
  /** The window's revisions, shared by the briefs built in one go (see `createSharedWindow`). */
  window?: SharedWindow | undefined;
}

/** The revisions of a time window, read once for many readers. */
export interface SharedWindow {
  /** Revisions created in (start, until] of every document not in the trash, by document and revision. */
  revisions(start: number, until: number): Promise<WindowRow[]>;
}

export interface BuiltBrief {
  draft: BriefDraft;
  /** The documents counted in `omitted`. */
  omittedDocIds: string[];
}

export interface WindowRow {
  docId: string;
  revision: number;
  createdAt: number;
  title: string;
  authors: string | null;
  spaceId: string;
  kind: DocKind;
  createdBy: string;
}

interface Candidate {
  docId: string;
  spaceId: string;
  kind: DocKind;
  revisions: WindowRow[];
  selected: WindowRow[];
  from: number;
  to: number;
  reasons: Set<BriefReason>;
  /** For `linked`: the reader's document that ties it to her. */
  linkedVia?: BriefLinkedVia | undefined;
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
  for (const thread of item.threads) {
    words += 8 + (thread.quote ? quote(thread.quote) : 0);
    if (thread.askedBy) words += countWords(thread.askedBy.name);
    if (thread.resolvedBy) words += 2 + countWords(thread.resolvedBy.name);
    for (const reply of thread.replies) words += countWords(reply.author) + quote(reply.text);
    if (thread.commentIds.length > thread.replies.length) words += 5;
  }
  if (item.otherThreads) words += 8;
  if (item.linkedVia) words += 5 + countWords(item.linkedVia.title);
  if (item.handoff) {
    words += 4 + countWords(item.handoff.from.name);
    for (const section of item.handoff.sections) {
      words += countWords(section.heading) + (section.more ? 3 : 0);
      for (const line of section.items) words += quote(line);
    }
  }
  for (const ask of item.asks ?? []) words += 5 + countWords(ask.askedBy.name) + quote(ask.text);
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

/** A space the reader may read now (policies decide which), and whether she is an explicit member. */
export interface ReaderSpace {
  id: string;
  name: string;
  member: boolean;
}

/**
 * The reader's brief over (since, until]: facts only; a `BriefWriter` turns them into prose.
 * `spaces` are the spaces she may read now, as the access policy has them (commands/build-brief.ts
 * asks it); a promise so that it is read alongside her watches and mentions.
 */
export async function selectBrief(
  db: DbOrTx,
  reader: UserRow,
  spaces: ReaderSpace[] | Promise<ReaderSpace[]>,
  options: BuildBriefOptions,
): Promise<BuiltBrief> {
  const { since, until } = options;
  const windowStart = since - (options.overlapMs ?? 0);
  const briefed = options.briefed ?? new Map<string, number>();
  const budgetSeconds = options.budgetSeconds ?? DEFAULT_BUDGET_SECONDS;
  const empty: BuiltBrief = { draft: { reader: { id: reader.id, name: reader.name, timezone: reader.timezone }, since, until, items: [], omitted: 0 }, omittedDocIds: [] };

  // 1. Spaces the reader may read now, those she is a member of, and what she watches.
  const scope = await readReaderScope(db, reader, spaces, windowStart, until);
  if (!scope.readable.size || until <= since) return empty;
  // 2. The window's revisions of every readable document that may concern the reader, by
  //    document; the comment threads of readable documents with news for her; the handoff asks
  //    waiting on her.
  const [byDoc, threadNews, handoffAsks] = await Promise.all([
    readWindowByDoc(db, reader, scope, windowStart, until, options.window),
    readThreadNews(db, reader, [...scope.readable.keys()], windowStart, until, options.briefedThreads),
    readHandoffAsks(db, reader, [...scope.readable.keys()], windowStart, until, briefed),
  ]);
  // 3-6. The changes worth telling, each drafted with what ranks it.
  const drafts = byDoc.size ? await draftChanges(db, reader, byDoc, scope, windowStart, until, briefed) : [];
  // 6b. Threads and handoff asks join their document's item, or make one of their own.
  addThreadNews(drafts, threadNews, scope.readable);
  addHandoffAsks(drafts, handoffAsks, scope.readable);
  if (!drafts.length) return empty;
  drafts.sort((a, b) => compareItems(a.item, b.item));
  // 7. Most important first, fill in each item's words while the reading-time budget holds.
  const kept = await keepWithinBudget(db, reader, drafts, budgetSeconds);
  const items = drafts.slice(0, kept).map((d) => d.item);
  const omittedItems = drafts.slice(kept).map((d) => d.item);
  return {
    draft: { reader: { id: reader.id, name: reader.name, timezone: reader.timezone }, since, until, items, omitted: omittedItems.length },
    omittedDocIds: omittedItems.map((i) => i.docId),
  };
}

/** Steps 3 to 6: the drafts of the window's changes worth telling the reader. */
async function draftChanges(
  db: DbOrTx,
  reader: UserRow,
  byDoc: Map<string, WindowRow[]>,
  scope: ReaderScope,
  windowStart: number,
  until: number,
  briefed: ReadonlyMap<string, number>,
): Promise<Draft[]> {
  // 3. The reader's relation to those documents: seen, written, mentioned; decision snapshots.
  const relations = await readRelations(db, reader, byDoc, windowStart, until);
  // 4. Fold each document's unseen revisions by others into one candidate, with its cheap reasons.
  const candidates = foldCandidates(reader, byDoc, scope, relations, briefed);
  if (!candidates.length) return [];
  // 5. The two ends of each change, as Markdown blocks.
  const ends = await readChangeEnds(db, candidates);
  // 6. Diff, drop the trivial, gather what ranks an item (its wording comes later, for kept items).
  return draftItems(candidates, ends, scope.readable, relations.decisionAt);
}

/**
 * The item of a document whose news is not a change of its body (comments, asks): from and to
 * its current revision, with nothing to diff (see the header).
 */
function newsOnlyItem(
  doc: { docId: string; title: string; spaceId: string; kind: DocKind; revision: number; lastAt: number },
  readable: ReadonlyMap<string, string>,
  reasons: BriefReason[],
  chars: number,
  diffUrl: string,
): BriefItemFacts {
  const revision = Math.max(1, doc.revision);
  return {
    docId: doc.docId,
    title: doc.title,
    spaceId: doc.spaceId,
    spaceName: readable.get(doc.spaceId) ?? '',
    kind: doc.kind,
    reasons,
    fromRevision: revision,
    toRevision: revision,
    authors: [],
    messages: [],
    sections: [],
    added: [],
    removed: [],
    decisionPath: [],
    text: '',
    threads: [],
    changedChars: chars,
    diffUrl,
    score: scoreOf(reasons),
    lastChangedAt: doc.lastAt,
  };
}

/**
 * Step 6b: each document's thread news joins its change's item (its reasons, size and recency
 * added), or makes an item of its own at the document's current revision (see the header).
 */
function addThreadNews(drafts: Draft[], news: ReadonlyMap<string, DocThreadNews>, readable: ReadonlyMap<string, string>) {
  if (!news.size) return;
  const byDoc = new Map(drafts.map((d) => [d.item.docId, d]));
  for (const doc of news.values()) {
    const reasons = new Set<BriefReason>(doc.threads.map((t) => t.reason));
    const more = doc.otherThreads ? { otherThreads: doc.otherThreads } : {};
    const existing = byDoc.get(doc.docId);
    if (existing) {
      const item = existing.item;
      for (const r of item.reasons) reasons.add(r);
      item.reasons = REASON_ORDER.filter((r) => reasons.has(r));
      item.score = scoreOf(item.reasons);
      item.threads = doc.threads;
      Object.assign(item, more);
      item.changedChars += doc.chars;
      item.lastChangedAt = Math.max(item.lastChangedAt, doc.lastAt);
      continue;
    }
    const item = newsOnlyItem(doc, readable, REASON_ORDER.filter((r) => reasons.has(r)), doc.chars, doc.threads[0]!.url);
    drafts.push({ candidate: null, item: { ...item, threads: doc.threads, ...more } });
  }
}

/**
 * Step 6b, for handoff asks: each note's asks waiting on the reader join its change's item (reason
 * `asked`), or make an item of their own at the note's current revision, like thread news.
 */
function addHandoffAsks(drafts: Draft[], asks: ReadonlyMap<string, DocHandoffAsks>, readable: ReadonlyMap<string, string>) {
  if (!asks.size) return;
  const byDoc = new Map(drafts.map((d) => [d.item.docId, d]));
  for (const doc of asks.values()) {
    const chars = doc.asks.reduce((sum, a) => sum + a.text.length, 0);
    const existing = byDoc.get(doc.docId);
    if (existing) {
      const item = existing.item;
      item.asks = doc.asks;
      item.reasons = REASON_ORDER.filter((r) => r === 'asked' || item.reasons.includes(r));
      item.score = scoreOf(item.reasons);
      item.changedChars += chars;
      item.lastChangedAt = Math.max(item.lastChangedAt, doc.lastAt);
      continue;
    }
    const revision = Math.max(1, doc.revision);
    const item = newsOnlyItem(doc, readable, ['asked'], chars, diffUrlOf(doc.docId, revision, revision));
    drafts.push({ candidate: null, item: { ...item, asks: doc.asks } });
  }
}

/** What the reader may read, is a member of, watches, was mentioned in and owns (step 1). */
interface ReaderScope {
  /** Readable spaces: id → name. */
  readable: Map<string, string>;
  member: Set<string>;
  watchedDocs: Set<string>;
  watchedSpaces: Set<string>;
  /** Documents she was mentioned in since the window's start (by anyone). */
  mentionedDocs: string[];
  ownedDecisions: Set<string>;
  /** Spaces she saw or wrote a document of in the 30 days before the window's end. */
  active: Set<string>;
  /** Documents linked with hers (either direction), each with the one of hers that ties it to her. */
  linkedVia: Map<string, BriefLinkedVia>;
  /** Handoff notes addressed to her (or to a space she is a member of), changed in the window. */
  addressed: Set<string>;
}

async function readReaderScope(
  db: DbOrTx,
  reader: UserRow,
  spaces: ReaderSpace[] | Promise<ReaderSpace[]>,
  windowStart: number,
  until: number,
): Promise<ReaderScope> {
  const recent = until - RECENT_MS;
  const readableSoon = Promise.resolve(spaces);
  const [spaceRows, watchRows, mentionedRows, ownedRows, active, linkedVia, addressed] = await Promise.all([
    readableSoon,
    db.all<{ targetType: string; targetId: string }>(sql`
      SELECT target_type AS targetType, target_id AS targetId FROM watches WHERE user_id = ${reader.id}`),
    db.all<{ docId: string }>(sql`
      SELECT DISTINCT doc_id AS docId FROM mentions WHERE user_id = ${reader.id} AND created_at > ${windowStart}`),
    db.all<{ docId: string }>(sql`SELECT doc_id AS docId FROM decision_owners WHERE user_id = ${reader.id}`),
    readActiveSpaces(db, reader.id, recent),
    readableSoon.then((rows) => readLinkedVia(db, reader.id, rows.map((r) => r.id), recent)),
    readableSoon.then((rows) => readAddressedHandoffs(db, reader.id, rows.filter((r) => r.member).map((r) => r.id), windowStart)),
  ]);
  const readable = new Map<string, string>();
  const member = new Set<string>();
  for (const s of spaceRows) {
    readable.set(s.id, s.name);
    if (s.member) member.add(s.id);
  }
  return {
    readable,
    member,
    watchedDocs: new Set(watchRows.filter((w) => w.targetType === 'doc').map((w) => w.targetId)),
    watchedSpaces: new Set(watchRows.filter((w) => w.targetType === 'space').map((w) => w.targetId)),
    mentionedDocs: mentionedRows.map((m) => m.docId),
    ownedDecisions: new Set(ownedRows.map((r) => r.docId)),
    active,
    linkedVia,
    addressed,
  };
}

/**
 * Step 2: the window's revisions of every readable document that may concern the reader (any of
 * the reasons: the exact rules are applied when folding), with their authors, by document in
 * revision order. From a shared window when many readers are built at once (the scheduler): it is
 * read once for all of them.
 */
async function readWindowByDoc(
  db: DbOrTx,
  reader: UserRow,
  scope: ReaderScope,
  windowStart: number,
  until: number,
  window: SharedWindow | undefined,
): Promise<Map<string, WindowRow[]>> {
  const windowRows = window
    ? (await window.revisions(windowStart, until)).filter((r) => scope.readable.has(r.spaceId))
    : await readerWindow(db, reader, windowStart, until, {
        readable: [...scope.readable.keys()],
        watchedSpaces: [...scope.watchedSpaces],
        docs: [...scope.watchedDocs, ...scope.mentionedDocs, ...scope.ownedDecisions, ...scope.linkedVia.keys(), ...scope.addressed],
        member: [...scope.member],
        active: [...scope.active],
      });
  const byDoc = new Map<string, WindowRow[]>();
  for (const row of windowRows) {
    const list = byDoc.get(row.docId);
    if (list) list.push(row);
    else byDoc.set(row.docId, [row]);
  }
  return byDoc;
}

/** The reader's relation to the window's documents (step 3). */
interface ReaderRelations {
  /** The revision she last viewed, by document. */
  seen: Map<string, number>;
  /** Documents she wrote a revision of → the last revision she wrote alone (0: none alone). */
  authored: Map<string, number>;
  /** Revisions she was mentioned in by someone else, by document. */
  mentionsByDoc: Map<string, number[]>;
  /** Decision snapshots by `docId\u0000revision`, from the revision before the window on. */
  decisionAt: Map<string, string | null>;
}

async function readRelations(
  db: DbOrTx,
  reader: UserRow,
  byDoc: Map<string, WindowRow[]>,
  windowStart: number,
  until: number,
): Promise<ReaderRelations> {
  const docIds = json([...byDoc.keys()]);
  // Decision records: every decision snapshot from the revision before the window on.
  const decisionDocs = [...byDoc.values()].filter((rows) => rows[0]!.kind === 'decision').map((rows) => [rows[0]!.docId, rows[0]!.revision - 1]);
  const [seenRows, authoredRows, mentionRows, decisionRows] = await Promise.all([
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
      WHERE user_id = ${reader.id} AND created_at > ${windowStart} AND doc_id IN (SELECT value FROM json_each(${docIds}))`),
    decisionDocs.length
      ? db.all<{ docId: string; revision: number; decision: string | null }>(sql`
          SELECT r.doc_id AS docId, r.revision AS revision, r.decision AS decision
          FROM json_each(${json(decisionDocs)}) j
          JOIN revisions r ON r.doc_id = json_extract(j.value, '$[0]') AND r.revision >= json_extract(j.value, '$[1]')
          WHERE r.created_at <= ${until}`)
      : Promise.resolve([]),
  ]);
  const mentionsByDoc = new Map<string, number[]>();
  for (const m of mentionRows) {
    if (m.mentionedBy === reader.id) continue;
    mentionsByDoc.set(m.docId, [...(mentionsByDoc.get(m.docId) ?? []), m.revision]);
  }
  return {
    seen: new Map(seenRows.map((r) => [r.docId, r.revision])),
    authored: new Map(authoredRows.map((r) => [r.docId, r.lastSolo ?? 0])),
    mentionsByDoc,
    decisionAt: new Map(decisionRows.map((r) => [`${r.docId}\u0000${r.revision}`, r.decision])),
  };
}

/** Step 4: each document's unseen revisions by others folded into one candidate, with its reasons. */
function foldCandidates(
  reader: UserRow,
  byDoc: Map<string, WindowRow[]>,
  scope: ReaderScope,
  relations: ReaderRelations,
  briefed: ReadonlyMap<string, number>,
): Candidate[] {
  const { seen, authored } = relations;
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
    const reasons = reasonsOf(reader, first, from, to, scope, relations);
    if (!reasons) continue;
    const linkedVia = reasons.has('linked') ? scope.linkedVia.get(docId) : undefined;
    candidates.push({ docId, spaceId: first.spaceId, kind: first.kind, revisions, selected, from, to, reasons, linkedVia });
  }
  return candidates;
}

/** The reasons of a change of `first`'s document from `from` to `to`; null when it has none. */
function reasonsOf(
  reader: UserRow,
  first: WindowRow,
  from: number,
  to: number,
  scope: ReaderScope,
  relations: ReaderRelations,
): Set<BriefReason> | null {
  const docId = first.docId;
  const reasons = new Set<BriefReason>();
  if (first.kind === 'handoff' && scope.addressed.has(docId) && first.createdBy !== reader.id) reasons.add('handoff');
  if ((relations.mentionsByDoc.get(docId) ?? []).some((rev) => rev > from && rev <= to)) reasons.add('mention');
  if (first.createdBy === reader.id || relations.authored.has(docId)) reasons.add('owner');
  if (scope.watchedDocs.has(docId) || scope.watchedSpaces.has(first.spaceId)) reasons.add('watch');
  if (scope.linkedVia.has(docId)) reasons.add('linked');
  if (from === 0 && (scope.member.has(first.spaceId) || scope.active.has(first.spaceId))) reasons.add('new');
  // A decision record: for a member of its space, an owner, anyone who ever opened it (a `views`
  // row), or who has another reason (wrote it, watches it, was mentioned in it, a document of
  // hers is linked with it, it is new in a space she works in).
  const mayBeDecision =
    first.kind === 'decision' &&
    (scope.member.has(first.spaceId) || reasons.size > 0 || scope.ownedDecisions.has(docId) || relations.seen.has(docId));
  if (!reasons.size && !mayBeDecision) return null;
  if (mayBeDecision) reasons.add('decision'); // a decision record that got here changed its status or its text
  return reasons;
}

/** The two ends of the candidates' changes (step 5). */
interface ChangeEnds {
  blocksAt(docId: string, revision: number): MarkdownBlocks;
  /** The title at a revision read for its Markdown or title (undefined when not read). */
  titleAt(docId: string, revision: number): string | undefined;
}

/**
 * The two ends of each change, as Markdown blocks: read only where not cached yet (the cached
 * ones are held here, so that the cache may evict them meanwhile).
 */
async function readChangeEnds(db: DbOrTx, candidates: readonly Candidate[]): Promise<ChangeEnds> {
  const held = new Map<string, MarkdownBlocks>();
  const hold = (docId: string, revision: number) => {
    const cached = cachedMarkdownBlocks(docId, revision);
    if (cached) held.set(`${docId}\u0000${revision}`, cached);
    return cached ? 0 : 1;
  };
  const wanted: Array<[string, number, number]> = [];
  for (const c of candidates) {
    if (c.from > 0) wanted.push([c.docId, c.from, hold(c.docId, c.from)]);
    if (hold(c.docId, c.to)) wanted.push([c.docId, c.to, 1]);
  }
  const endRows = wanted.length
    ? await db.all<{ docId: string; revision: number; title: string; markdown: string | null }>(sql`
        SELECT r.doc_id AS docId, r.revision AS revision, r.title AS title,
               CASE WHEN json_extract(j.value, '$[2]') = 1 THEN r.markdown END AS markdown
        FROM json_each(${json(wanted)}) j
        JOIN revisions r ON r.doc_id = json_extract(j.value, '$[0]') AND r.revision = json_extract(j.value, '$[1]')`)
    : [];
  const ends = new Map(endRows.map((r) => [`${r.docId}\u0000${r.revision}`, r]));
  return {
    blocksAt(docId, revision) {
      if (revision === 0) return NO_BLOCKS;
      const key = `${docId}\u0000${revision}`;
      const markdown = ends.get(key)?.markdown;
      return held.get(key) ?? (markdown == null ? NO_BLOCKS : markdownBlocks(docId, revision, markdown));
    },
    titleAt: (docId, revision) => ends.get(`${docId}\u0000${revision}`)?.title,
  };
}

/** An item being built and the change it comes from (null: an item of comment threads only). */
interface Draft {
  item: BriefItemFacts;
  candidate: Candidate | null;
}

/** Step 6: diff each candidate, drop the trivial, gather what ranks an item (not its wording yet). */
function draftItems(
  candidates: readonly Candidate[],
  ends: ChangeEnds,
  readable: ReadonlyMap<string, string>,
  decisionAt: ReadonlyMap<string, string | null>,
): Draft[] {
  const drafts: Draft[] = [];
  for (const c of candidates) {
    const toRow = c.selected[c.selected.length - 1]!;
    const before = ends.blocksAt(c.docId, c.from);
    const after = ends.blocksAt(c.docId, c.to);
    const fromTitle = c.from > 0 ? (ends.titleAt(c.docId, c.from) ?? toRow.title) : '';
    const body = changedRegion(before.blocks, after.blocks);
    const title = changedRegion(fromTitle ? [fromTitle] : [], [toRow.title]);
    const trivial = c.from > 0 && isTrivial(body) && isTrivial(title);
    const path = c.kind === 'decision' ? decisionPathOf(c, decisionAt) : [];
    if (trivial && path.length < 2) continue;
    const reasons = REASON_ORDER.filter((r) => c.reasons.has(r));
    drafts.push({
      candidate: c,
      item: {
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
        threads: [],
        ...(c.linkedVia ? { linkedVia: c.linkedVia } : {}),
        changedChars: body.chars + title.chars,
        diffUrl: diffUrlOf(c.docId, c.from, c.to),
        score: scoreOf(reasons),
        lastChangedAt: toRow.createdAt,
      },
    });
  }
  return drafts;
}

/** The statuses a decision record went through over the change (consecutive repeats once). */
function decisionPathOf(c: Candidate, decisionAt: ReadonlyMap<string, string | null>): string[] {
  const path: string[] = [];
  for (let rev = Math.max(c.from, 1); rev <= c.to; rev++) {
    const status = statusOf(decisionAt.get(`${c.docId}\u0000${rev}`) ?? null);
    if (status && path[path.length - 1] !== status) path.push(status);
  }
  return path;
}

/**
 * Step 7: most important first, fill in each item's words (who, why, what) while the reading-time
 * budget holds, a batch of items at a time: one query for their messages, bodies and texts.
 * Returns how many of the (sorted) drafts are kept.
 */
async function keepWithinBudget(db: DbOrTx, reader: UserRow, drafts: readonly Draft[], budgetSeconds: number): Promise<number> {
  const budgetWords = (budgetSeconds * WORDS_PER_MINUTE) / 60;
  const names = new Map<string, Person>();
  let words = 15; // the header
  let kept = 0;
  let full = false;
  for (let start = 0; start < drafts.length && !full; start += DESCRIBE_BATCH) {
    const batch = drafts.slice(start, start + DESCRIBE_BATCH);
    await describeBatch(db, reader, batch, names);
    for (const d of batch) {
      const next = words + estimateItemWords(d.item);
      if (kept > 0 && next > budgetWords) {
        full = true;
        break;
      }
      words = next;
      kept++;
    }
  }
  return kept;
}

/** The blocks between the first and the last that differ, on each side. */
interface ChangedRegion {
  removed: readonly string[];
  added: readonly string[];
  /** Characters (code points) in them: the size of the change, for ranking. */
  chars: number;
  /** Non-whitespace characters added minus removed, in absolute value: a lower bound of the edit. */
  netChars: number;
}

function changedRegion(before: readonly string[], after: readonly string[]): ChangedRegion {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const removed = before.slice(start, endBefore);
  const added = after.slice(start, endAfter);
  let chars = 0;
  let net = 0;
  for (const block of removed) {
    const [all, solid] = countChars(block);
    chars += all;
    net -= solid;
  }
  for (const block of added) {
    const [all, solid] = countChars(block);
    chars += all;
    net += solid;
  }
  return { removed, added, chars, netChars: Math.abs(net) };
}

/** Code points, and code points that are not whitespace (as `\s` has it). */
function countChars(text: string): [number, number] {
  let all = 0;
  let solid = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue; // the second half of a surrogate pair
    all++;
    if (!isSpace(c)) solid++;
  }
  return [all, solid];
}

function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * `isTrivialChange` (whitespace only, or ≤ 5 characters) of the changed region. Each character
 * edit changes the net count by at most one, so a net change above 5 settles it without a diff;
 * only changes that may be trivial get the block and word diff.
 */
function isTrivial(region: ChangedRegion): boolean {
  if (!region.removed.length && !region.added.length) return true;
  if (region.netChars > TRIVIAL_CHARS) return false;
  return isTrivialChange(diffBlocks(region.removed, region.added, { maxWordEdits: WORD_EDITS }), TRIVIAL_CHARS);
}

/** Items described per round trip to the database (a brief keeps about ten within three minutes). */
const DESCRIBE_BATCH = 12;

interface Person {
  name: string;
  timezone: string;
}

/** Fills in authors, messages, sections, key sentences and the text of `batch`'s items (and a handoff note's sections). */
async function describeBatch(db: DbOrTx, reader: UserRow, batch: readonly Draft[], names: Map<string, Person>) {
  // [document, revision, read its body, read its text, read its Markdown]
  const revs: Array<[string, number, number, number, number]> = [];
  const changes = batch.filter((d): d is Draft & { candidate: Candidate } => d.candidate !== null);
  if (!changes.length) return; // threads and asks only: their facts are complete already
  for (const { candidate: c } of changes) {
    if (c.from > 0) revs.push([c.docId, c.from, 1, 0, 0]);
    for (const r of c.selected) {
      const last = r.revision === c.to ? 1 : 0;
      revs.push([r.docId, r.revision, last, last, last && c.kind === 'handoff' ? 1 : 0]);
    }
  }
  const rows = await db.all<{ docId: string; revision: number; message: string | null; content: string | null; text: string | null; markdown: string | null }>(sql`
    SELECT r.doc_id AS docId, r.revision AS revision, r.message AS message,
           CASE WHEN json_extract(j.value, '$[2]') = 1 THEN r.content END AS content,
           CASE WHEN json_extract(j.value, '$[3]') = 1 THEN r.text END AS text,
           CASE WHEN json_extract(j.value, '$[4]') = 1 THEN r.markdown END AS markdown
    FROM json_each(${json(revs)}) j
    JOIN revisions r ON r.doc_id = json_extract(j.value, '$[0]') AND r.revision = json_extract(j.value, '$[1]')`);
  const at = new Map(rows.map((r) => [`${r.docId}\u0000${r.revision}`, r]));
  const noteWriters = changes.filter(({ candidate }) => candidate.kind === 'handoff').map(({ candidate }) => candidate.revisions[0]!.createdBy);
  const people = new Set([...changes.flatMap(({ candidate }) => candidate.selected.flatMap(authorsOf)), ...noteWriters].filter((id) => !names.has(id)));
  if (people.size) {
    const found = await db.all<{ id: string; name: string; timezone: string }>(
      sql`SELECT id, name, timezone FROM users WHERE id IN (SELECT value FROM json_each(${json([...people])}))`,
    );
    for (const p of found) names.set(p.id, { name: p.name, timezone: p.timezone });
  }
  const nameOf = (id: string) => names.get(id)?.name ?? 'Someone';
  for (const { item, candidate: c } of changes) {
    const authorIds: string[] = [];
    for (const r of c.selected) {
      const others = authorsOf(r).filter((a) => a !== reader.id);
      for (const a of others) if (!authorIds.includes(a)) authorIds.push(a);
      const message = at.get(`${c.docId}\u0000${r.revision}`)?.message?.trim();
      if (message) item.messages.push({ author: others.length ? others.map(nameOf).join(' and ') : 'Someone', text: message });
    }
    item.authors = authorIds.map((id) => ({ id, name: nameOf(id) }));
    const toRow = at.get(`${c.docId}\u0000${c.to}`);
    const before = c.from > 0 ? parseRevisionBlocks(at.get(`${c.docId}\u0000${c.from}`)?.content ?? '') : EMPTY_BLOCKS;
    const after = parseRevisionBlocks(toRow?.content ?? '');
    Object.assign(item, describeDiff(diffBlocks(before.blocks, after.blocks, { maxWordEdits: WORD_EDITS }), before, after));
    item.text = toRow?.text ?? '';
    if (c.kind === 'handoff') {
      const writer = c.revisions[0]!.createdBy;
      item.handoff = {
        from: { id: writer, name: nameOf(writer), timezone: names.get(writer)?.timezone ?? 'UTC' },
        sections: handoffSectionsOf(toRow?.markdown ?? ''),
      };
    }
  }
}

/*
 * The window query. The CROSS JOIN keeps SQLite on the created_at index (the window), not on every
 * document of the readable spaces. Only columns stored before the bodies: a row's later columns
 * (decision, message) sit behind its overflow pages.
 */
const windowColumns = sql`
  r.doc_id AS docId, r.revision AS revision, r.created_at AS createdAt, r.title AS title,
  (SELECT group_concat(ra.user_id) FROM revision_authors ra WHERE ra.doc_id = r.doc_id AND ra.revision = r.revision) AS authors,
  d.space_id AS spaceId, d.kind AS kind, d.created_by AS createdBy`;

const byDocAndRevision = (a: WindowRow, b: WindowRow) => (a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : a.revision - b.revision);

/** One reader's window: only documents that may concern her (a superset of the reasons). */
async function readerWindow(
  db: DbOrTx,
  reader: UserRow,
  start: number,
  until: number,
  sets: { readable: string[]; watchedSpaces: string[]; docs: string[]; member: string[]; active: string[] },
): Promise<WindowRow[]> {
  const rows = await db.all<WindowRow>(sql`
    SELECT ${windowColumns}
    FROM revisions r CROSS JOIN documents d ON d.id = r.doc_id
    WHERE r.created_at > ${start} AND r.created_at <= ${until} AND d.trashed_at IS NULL
      AND d.space_id IN (SELECT value FROM json_each(${json(sets.readable)}))
      AND (d.space_id IN (SELECT value FROM json_each(${json(sets.watchedSpaces)}))
           OR d.id IN (SELECT value FROM json_each(${json(sets.docs)}))
           OR d.created_by = ${reader.id}
           OR (d.space_id IN (SELECT value FROM json_each(${json(sets.member)})) AND (d.kind = 'decision' OR d.created_at > ${start}))
           OR (d.created_at > ${start} AND d.space_id IN (SELECT value FROM json_each(${json(sets.active)})))
           OR (d.kind = 'decision' AND EXISTS (SELECT 1 FROM views v WHERE v.user_id = ${reader.id} AND v.doc_id = d.id))
           OR EXISTS (SELECT 1 FROM revision_authors a WHERE a.doc_id = d.id AND a.user_id = ${reader.id}))`);
  return rows.sort(byDocAndRevision);
}

/**
 * A window read once for many readers (every document, whoever may read it; each reader's build
 * keeps only her readable spaces). Grows to cover whatever range is asked for.
 */
export function createSharedWindow(db: DbOrTx): SharedWindow {
  let covered: { start: number; until: number; rows: WindowRow[] } | null = null;
  const read = (start: number, until: number) =>
    db.all<WindowRow>(sql`
      SELECT ${windowColumns}
      FROM revisions r CROSS JOIN documents d ON d.id = r.doc_id
      WHERE r.created_at > ${start} AND r.created_at <= ${until} AND d.trashed_at IS NULL`);
  return {
    async revisions(start, until) {
      if (!covered) {
        covered = { start, until, rows: (await read(start, until)).sort(byDocAndRevision) };
      } else {
        let grown = false;
        if (start < covered.start) {
          covered.rows.push(...(await read(start, covered.start)));
          covered.start = start;
          grown = true;
        }
        if (until > covered.until) {
          covered.rows.push(...(await read(covered.until, until)));
          covered.until = until;
          grown = true;
        }
        if (grown) covered.rows.sort(byDocAndRevision);
      }
      return covered.rows.filter((r) => r.createdAt > start && r.createdAt <= until);
    },
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
