import { and, desc, documents, eq, handoffAsks, inArray, isNull, users, type DbOrTx } from '@handoff/db';
import { handoffSectionOf, type HandoffSectionKey } from '@handoff/shared/handoff-template';

/** Longest stored text of one ask; longer items are cut here. */
export const HANDOFF_ASK_TEXT_MAX = 500;
/** Most asks one note keeps (the first ones in reading order): a note of 10,000 "@x" items stays cheap. */
export const HANDOFF_ASKS_PER_NOTE_MAX = 200;
/** Most items read from one note (for asks and the log's counts). */
const ITEMS_MAX = 20_000;
/** Most distinct handles looked up for one note. */
const HANDLES_MAX = 500;

export type AskSection = 'blocked' | 'decision';

/** One item (list item or paragraph) of a handoff note's section, with the people it @mentions. */
export interface HandoffItem {
  section: HandoffSectionKey;
  text: string;
  handles: string[];
}

interface LexicalNode {
  type?: unknown;
  tag?: unknown;
  text?: unknown;
  handle?: unknown;
  children?: unknown;
}

const childrenOf = (node: LexicalNode): LexicalNode[] => (Array.isArray(node.children) ? (node.children as LexicalNode[]) : []);

/** The text and mention handles of a node's inline content, nested lists left out (they are items of their own). */
function inline(node: LexicalNode, out: { text: string; handles: Set<string> }): void {
  for (const child of childrenOf(node)) {
    if (child.type === 'list') continue;
    if (child.type === 'mention' && typeof child.handle === 'string') out.handles.add(child.handle);
    if (typeof child.text === 'string') out.text += child.text;
    else if (child.type === 'linebreak') out.text += ' ';
    else inline(child, out);
    if (out.text.length > HANDOFF_ASK_TEXT_MAX * 4) return;
  }
}

function cut(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= HANDOFF_ASK_TEXT_MAX) return flat;
  const head = flat.slice(0, HANDOFF_ASK_TEXT_MAX);
  // Never end on half of a surrogate pair.
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}

/**
 * The items of a handoff note's sections, in reading order, from its stored Lexical JSON: each list
 * item (nested ones too) and each other block under a section heading (any level, matched
 * case-insensitively) is one item; empty ones are left out. Linear in the size of the JSON.
 */
export function handoffItemsOf(content: string): HandoffItem[] {
  let root: LexicalNode;
  try {
    root = (JSON.parse(content) as { root?: LexicalNode }).root ?? {};
  } catch {
    return [];
  }
  const items: HandoffItem[] = [];
  let section: HandoffSectionKey | null = null;
  const push = (node: LexicalNode) => {
    if (!section || items.length >= ITEMS_MAX) return;
    const out = { text: '', handles: new Set<string>() };
    inline(node, out);
    const text = cut(out.text);
    if (text) items.push({ section, text, handles: [...out.handles] });
  };
  const walkList = (list: LexicalNode) => {
    for (const item of childrenOf(list)) {
      push(item);
      for (const nested of childrenOf(item)) if (nested.type === 'list') walkList(nested);
    }
  };
  for (const block of childrenOf(root)) {
    if (block.type === 'heading') {
      const out = { text: '', handles: new Set<string>() };
      inline(block, out);
      section = handoffSectionOf(out.text);
    } else if (block.type === 'list') walkList(block);
    else push(block);
  }
  return items;
}

/**
 * How many items each section of a note holds (the handoff log's counts), read from its Markdown
 * line by line — cheap enough for a page of large notes: a list item with text or a paragraph is
 * one item; lines continuing either are not counted again.
 */
export function handoffCounts(markdown: string): { done: number; next: number; blocked: number; decisions: number } {
  const counts = { done: 0, next: 0, blocked: 0, decisions: 0 };
  let section: HandoffSectionKey | null = null;
  let continuing = false;
  for (const line of markdown.split('\n')) {
    const heading = headingText(line);
    if (heading !== null) {
      section = handoffSectionOf(heading);
      continuing = false;
      continue;
    }
    const text = line.trim();
    if (!text) {
      continuing = false;
      continue;
    }
    if (!section || section === 'to') continue;
    const item = listItemText(text);
    if (item !== null) {
      if (item) counts[section] += 1;
      continuing = true;
    } else if (!continuing) {
      counts[section] += 1;
      continuing = true;
    }
  }
  return counts;
}

const isBlank = (c: string | undefined) => c === undefined || c === ' ' || c === '\t';

/** The text of an ATX heading line ("## Blocked on ##" → "Blocked on"), or null for any other line. */
function headingText(line: string): string | null {
  const indent = line.length - line.trimStart().length;
  if (indent > 3) return null;
  const rest = line.trimStart();
  let level = 0;
  while (rest[level] === '#') level += 1;
  if (level < 1 || level > 6 || !isBlank(rest[level])) return null;
  let text = rest.slice(level).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end -= 1;
  if (end < text.length && (end === 0 || isBlank(text[end - 1]))) text = text.slice(0, end).trim();
  return text;
}

/** The text after a list marker ("- a" → "a", "1. a" → "a", "-" → ""), or null when the (trimmed) line is not a list item. */
function listItemText(text: string): string | null {
  let at = 0;
  if (text[0] === '-' || text[0] === '*' || text[0] === '+') at = 1;
  else {
    while (at < 10 && text[at] !== undefined && text[at]! >= '0' && text[at]! <= '9') at += 1;
    if (at === 0 || at > 9 || (text[at] !== '.' && text[at] !== ')')) return null;
    at += 1;
  }
  return isBlank(text[at]) ? text.slice(at).trim() : null;
}

const askSectionOf = (section: HandoffSectionKey): AskSection | null => (section === 'blocked' ? 'blocked' : section === 'decisions' ? 'decision' : null);
const keyOf = (userId: string, section: string, text: string) => `${userId}\u0000${section}\u0000${text}`;

/** The asks a note's body makes: (person, section, text) of each @mention in its "Blocked on" and "Decisions needed" items, the first 200. */
async function asksIn(tx: DbOrTx, content: string): Promise<Array<{ userId: string; section: AskSection; text: string }>> {
  const wanted: Array<{ handle: string; section: AskSection; text: string }> = [];
  const handles = new Set<string>();
  for (const item of handoffItemsOf(content)) {
    const section = askSectionOf(item.section);
    if (!section) continue;
    for (const handle of item.handles) {
      if (!handles.has(handle) && handles.size >= HANDLES_MAX) continue;
      handles.add(handle);
      wanted.push({ handle, section, text: item.text });
    }
  }
  if (!wanted.length) return [];
  const people = await tx
    .select({ id: users.id, handle: users.handle })
    .from(users)
    .where(and(inArray(users.handle, [...handles]), isNull(users.deactivatedAt)))
    .all();
  const idOf = new Map(people.map((p) => [p.handle, p.id]));
  const seen = new Set<string>();
  const out: Array<{ userId: string; section: AskSection; text: string }> = [];
  for (const w of wanted) {
    const userId = idOf.get(w.handle);
    if (!userId) continue;
    const key = keyOf(userId, w.section, w.text);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ userId, section: w.section, text: w.text });
    if (out.length >= HANDOFF_ASKS_PER_NOTE_MAX) break;
  }
  return out;
}

/**
 * Keeps `handoff_asks` in step with a new revision of a handoff note (inside the revision's
 * transaction): items that newly ask someone are added (asked by the revision's actor, who never
 * asks herself), items no longer in the note are removed, and the revision answers what was asked
 * before of everyone who wrote it.
 */
export async function writeHandoffAsks(tx: DbOrTx, docId: string, revision: number, content: string, authors: readonly string[], actorId: string, now: number): Promise<void> {
  // Every ask the body makes, the actor's own included: an item still in the note keeps asking even
  // when the asked person herself writes a revision (which answers it).
  const wanted = await asksIn(tx, content);
  const existing = await tx
    .select({ userId: handoffAsks.userId, section: handoffAsks.section, text: handoffAsks.text })
    .from(handoffAsks)
    .where(eq(handoffAsks.docId, docId))
    .all();
  const wantedKeys = new Set(wanted.map((w) => keyOf(w.userId, w.section, w.text)));
  const existingKeys = new Set(existing.map((e) => keyOf(e.userId, e.section, e.text)));
  for (const e of existing) {
    if (wantedKeys.has(keyOf(e.userId, e.section, e.text))) continue;
    await tx
      .delete(handoffAsks)
      .where(and(eq(handoffAsks.docId, docId), eq(handoffAsks.userId, e.userId), eq(handoffAsks.section, e.section), eq(handoffAsks.text, e.text)));
  }
  if (authors.length) {
    await tx
      .update(handoffAsks)
      .set({ answeredAt: now })
      .where(and(eq(handoffAsks.docId, docId), inArray(handoffAsks.userId, [...authors]), isNull(handoffAsks.answeredAt)));
  }
  const fresh = wanted.filter((w) => w.userId !== actorId && !existingKeys.has(keyOf(w.userId, w.section, w.text)));
  for (let i = 0; i < fresh.length; i += 50) {
    await tx
      .insert(handoffAsks)
      .values(fresh.slice(i, i + 50).map((w) => ({ docId, userId: w.userId, section: w.section, text: w.text, askedBy: actorId, revision, askedAt: now, answeredAt: null })))
      .onConflictDoNothing();
  }
}


/** The asked person replied on the note (a comment): everything it asked her is answered. */
export async function answerHandoffAsks(tx: DbOrTx, docId: string, userId: string, now: number): Promise<void> {
  await tx
    .update(handoffAsks)
    .set({ answeredAt: now })
    .where(and(eq(handoffAsks.docId, docId), eq(handoffAsks.userId, userId), isNull(handoffAsks.answeredAt)));
}

/** Marks one item answered by the asked person; false when the note asks her no such thing. */
export async function answerHandoffAsk(tx: DbOrTx, docId: string, userId: string, section: AskSection, text: string, now: number): Promise<boolean> {
  const where = and(eq(handoffAsks.docId, docId), eq(handoffAsks.userId, userId), eq(handoffAsks.section, section), eq(handoffAsks.text, text));
  const row = await tx.select({ answeredAt: handoffAsks.answeredAt }).from(handoffAsks).where(where).get();
  if (!row) return false;
  if (row.answeredAt === null) await tx.update(handoffAsks).set({ answeredAt: now }).where(where);
  return true;
}

export interface WaitingAsk {
  docId: string;
  title: string;
  section: AskSection;
  text: string;
  askedBy: string;
  askedAt: number;
}

/** Unanswered asks of `userId` on handoff notes in `spaceIds` (what she may read now), not trashed; newest first. */
export async function waitingHandoffAsks(db: DbOrTx, userId: string, spaceIds: readonly string[], limit = 200): Promise<WaitingAsk[]> {
  if (!spaceIds.length) return [];
  return db
    .select({
      docId: handoffAsks.docId,
      title: documents.title,
      section: handoffAsks.section,
      text: handoffAsks.text,
      askedBy: handoffAsks.askedBy,
      askedAt: handoffAsks.askedAt,
    })
    .from(handoffAsks)
    .innerJoin(documents, eq(documents.id, handoffAsks.docId))
    .where(
      and(
        eq(handoffAsks.userId, userId),
        isNull(handoffAsks.answeredAt),
        isNull(documents.trashedAt),
        eq(documents.kind, 'handoff'),
        inArray(documents.spaceId, [...spaceIds]),
      ),
    )
    .orderBy(desc(handoffAsks.askedAt))
    .limit(limit)
    .all();
}
