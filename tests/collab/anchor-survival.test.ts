// Comment anchors survive concurrent editing (issue 10, "Anchor survival property test"): three live
// collaborators (stock providers over real WebSockets, each typing through a headless Lexical editor
// bound to its Y.Doc) and two REST clients (PATCHes merged from the revision they read, and the odd
// restore of a recent revision) make 1,000 random edits around and inside the anchored ranges of 48
// threads (started in four waves, before each quarter of the edits, so that some live through many
// edits and some through few). Afterwards, once everything converged, every thread is still listed,
// and each one either covers exactly the text a reference replay says its range covers, in the
// paragraph it was made in, or is orphaned.
//
// The reference does not resolve relative positions. At creation it records the Yjs ids of the
// range's first and last characters and of the block they are in (from the server's stored
// state); at the end it walks that block's items in document order, deleted ones included (Yjs
// never moves an item), and takes the live characters from the first one's place to the last
// one's. So the range shrinks when its ends are deleted and takes in text typed between its ends;
// it is empty — orphaned — when no live character lies there, or when its block is gone. On top of
// that: a thread whose original characters partly survive in a live block is never orphaned.
//
// Seeded: the seed is printed; ANCHOR_SEED=<seed> replays the same random choices (the
// interleaving of sockets and REST calls still varies from run to run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  $createParagraphNode,
  $createRangeSelection,
  $createTextNode,
  $getRoot,
  $isElementNode,
  $setSelection,
  type ElementNode,
  type RangeSelection,
} from 'lexical';
import { $rootToMarkdown } from '@handoff/shared/markdown';
import { openHeadlessDoc } from '@handoff/api/testing';
import { sleep, startCollabApp, waitFor, type CollabApp, type Collaborator } from './helpers.ts';
import type { Person } from '../api/client.ts';

const SEED = Number(process.env.ANCHOR_SEED ?? Math.floor(Math.random() * 2 ** 31));
const EDITS = 1_000;
const REST_EDITS = 200; // of the 1,000, split between two REST clients; the rest typed live
const THREADS = 48; // in four waves of 12, before each quarter of the edits

/** mulberry32: a small, good-enough seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rand = ReturnType<typeof prng>;

const VOCABULARY = (
  'release plan moves to monday because quality found sync bug we keep the checksum proposal ' +
  'budget review ships after lunch berlin bangalore francisco handoff notes decision owner draft ' +
  'careful quick brown lazy fox jumps over river bridge north gate morning evening'
).split(' ');

const idOf = (client: number, clock: number) => `${client}:${clock}`;

/** One unit of a block in document order, deleted ones included: a character, or an embed (null). */
interface Unit {
  id: string;
  live: boolean;
  ch: string | null;
}

/** The top-level blocks of a Y.Doc's body, deleted ones included, with the id of their item. */
function blockItems(doc: Y.Doc): Array<{ id: string; deleted: boolean; type: Y.XmlText }> {
  const out: Array<{ id: string; deleted: boolean; type: Y.XmlText }> = [];
  for (let item = doc.get('root', Y.XmlText)._start; item; item = item.right) {
    if (item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlText) {
      out.push({ id: idOf(item.id.client, item.id.clock), deleted: item.deleted, type: item.content.type });
    } else if (item.content instanceof Y.ContentDeleted) {
      // A collected block: it has no type any more, only its id.
      out.push({ id: idOf(item.id.client, item.id.clock), deleted: true, type: new Y.XmlText() });
    }
  }
  return out;
}

/** Every item of a block in document order (nested live types walked into), deleted ones included. */
function unitsOf(type: Y.XmlText): Unit[] {
  const out: Unit[] = [];
  for (let item = type._start; item; item = item.right) {
    const { client, clock } = item.id;
    const c = item.content;
    if (c instanceof Y.ContentString) {
      for (let i = 0; i < c.str.length; i++) out.push({ id: idOf(client, clock + i), live: !item.deleted, ch: c.str[i]! });
    } else if (c instanceof Y.ContentDeleted) {
      for (let i = 0; i < item.length; i++) out.push({ id: idOf(client, clock + i), live: false, ch: null });
    } else if (c instanceof Y.ContentType && c.type instanceof Y.XmlText && !item.deleted) {
      out.push({ id: idOf(client, clock), live: true, ch: null });
      out.push(...unitsOf(c.type));
    } else if (c instanceof Y.ContentType && c.type instanceof Y.Map) {
      const lineBreak = !item.deleted && c.type.get('__type') === 'linebreak';
      out.push({ id: idOf(client, clock), live: !item.deleted, ch: lineBreak ? '\n' : null });
    } else if (item.countable) {
      for (let i = 0; i < item.length; i++) out.push({ id: idOf(client, clock + i), live: !item.deleted, ch: null });
    }
  }
  return out;
}

/** The id of the item a relative position (base64) is bound to. */
function boundId(b64: string): string {
  const rpos = Y.decodeRelativePosition(Buffer.from(b64, 'base64'));
  if (!rpos.item) throw new Error('a stored anchor is bound to a character, not to the end of a type');
  return idOf(rpos.item.client, rpos.item.clock);
}

/** What the test knows of a thread from its creation. */
interface Recorded {
  id: string;
  via: 'quote' | 'relative';
  quote: string;
  start: string; // base64 relative positions, as the server answered
  end: string;
  startId: string;
  endId: string;
  blockId: string;
  coveredIds: string[];
}

/** Where the reference says a thread's range is in `doc`: its text, or null (orphaned). */
function reference(doc: Y.Doc, t: Recorded): { text: string | null; survivors: number; blockAlive: boolean } {
  const block = blockItems(doc).find((b) => b.id === t.blockId);
  if (!block || block.deleted) return { text: null, survivors: 0, blockAlive: false };
  const units = unitsOf(block.type);
  const from = units.findIndex((u) => u.id === t.startId);
  const to = units.findIndex((u) => u.id === t.endId);
  const live = new Set(units.filter((u) => u.live).map((u) => u.id));
  const survivors = t.coveredIds.filter((id) => live.has(id)).length;
  if (from < 0 || to < 0) return { text: null, survivors, blockAlive: true };
  const text = units
    .slice(from, to + 1)
    .filter((u) => u.live && u.ch !== null)
    .map((u) => u.ch)
    .join('');
  return { text: text || null, survivors, blockAlive: true };
}

/** The id of the top-level block a (base64) relative position resolves into in `doc`, or null. */
function resolvedBlockId(doc: Y.Doc, b64: string): string | null {
  const abs = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(b64, 'base64')), doc);
  const root = doc.get('root', Y.XmlText);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event type
  let type: Y.AbstractType<any> | null = abs?.type ?? null;
  while (type?._item) {
    if (type._item.parent === root) return idOf(type._item.id.client, type._item.id.clock);
    type = type._item.parent as typeof type;
  }
  return null;
}

/** Each block's text (as the anchors read it: characters and line breaks) and the position of each character. */
function layoutOf(doc: Y.Doc) {
  return blockItems(doc)
    .filter((b) => !b.deleted)
    .map((b) => {
      const points: Array<{ type: Y.XmlText; index: number }> = [];
      const offsets = new Map<Y.XmlText, number[]>();
      let text = '';
      const walk = (type: Y.XmlText) => {
        const at: number[] = [];
        offsets.set(type, at);
        let index = 0;
        for (const op of type.toDelta() as Array<{ insert: unknown }>) {
          if (typeof op.insert === 'string') {
            for (const ch of op.insert) {
              at[index] = text.length;
              points.push({ type, index });
              text += ch;
              index++;
            }
            continue;
          }
          at[index] = text.length;
          if (op.insert instanceof Y.XmlText) walk(op.insert);
          index++;
        }
        at[index] = text.length;
      };
      walk(b.type);
      return { id: b.id, type: b.type, text, points, offsets };
    });
}
type Layout = ReturnType<typeof layoutOf>;

// ---- live edits, through the collaborator's Lexical editor ----

/** The text point at `offset` of `block` (its text nodes in order). */
function $point(block: ElementNode, offset: number): { key: string; offset: number; type: 'text' | 'element' } {
  const texts = block.getAllTextNodes();
  let left = offset;
  for (const t of texts) {
    if (left <= t.getTextContentSize()) return { key: t.getKey(), offset: left, type: 'text' };
    left -= t.getTextContentSize();
  }
  const last = texts[texts.length - 1];
  return last ? { key: last.getKey(), offset: last.getTextContentSize(), type: 'text' } : { key: block.getKey(), offset: 0, type: 'element' };
}

function $select(block: ElementNode, from: number, to: number): RangeSelection {
  const a = $point(block, from);
  const b = $point(block, to);
  const selection = $createRangeSelection();
  selection.anchor.set(a.key, a.offset, a.type);
  selection.focus.set(b.key, b.offset, b.type);
  $setSelection(selection);
  return selection;
}

/** A block and an offset in it: near one end of a random thread's range 40% of the time. */
function target(rand: Rand, doc: Y.Doc, layout: Layout, threads: Recorded[]): { block: number; offset: number } {
  if (rand.chance(0.4) && threads.length) {
    const t = rand.pick(threads);
    const abs = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(rand.chance(0.5) ? t.start : t.end, 'base64')), doc);
    if (abs) {
      for (let b = 0; b < layout.length; b++) {
        const at = layout[b]!.offsets.get(abs.type as Y.XmlText)?.[abs.index];
        if (at !== undefined) {
          const offset = Math.max(0, Math.min(layout[b]!.text.length, at + rand.int(7) - 3));
          return { block: b, offset };
        }
      }
    }
  }
  const block = rand.int(layout.length);
  return { block, offset: rand.int(layout[block]!.text.length + 1) };
}

const words = (rand: Rand, n: number) => Array.from({ length: n }, () => rand.pick(VOCABULARY)).join(' ');

/** One random live edit by `c`; returns what it did (for the failure message). */
function liveEdit(c: Collaborator, rand: Rand, threads: Recorded[]): string {
  c.editor.update(() => {}); // take in what arrived
  const layout = layoutOf(c.doc);
  const blocks = c.editor.read(() => $getRoot().getChildrenSize());
  if (!layout.length || blocks !== layout.length) {
    c.editor.update(() => $getRoot().append($createParagraphNode().append($createTextNode(words(rand, 6)))));
    return 'add a paragraph to an empty body';
  }
  const { block, offset } = target(rand, c.doc, layout, threads);
  const size = layout[block]!.text.length;
  const roll = rand.next();
  let did = '';
  c.editor.update(() => {
    const root = $getRoot();
    const el = root.getChildAtIndex(block);
    if (!$isElementNode(el)) throw new Error(`block ${block} is not an element`);
    if (roll < 0.5) {
      const word = rand.chance(0.5) ? ` ${rand.pick(VOCABULARY)}` : rand.pick(VOCABULARY).slice(0, 1 + rand.int(4));
      $select(el, offset, offset).insertText(word);
      did = `insert "${word}" at ${block}:${offset}`;
    } else if (roll < 0.72) {
      const to = Math.min(size, offset + 1 + rand.int(5));
      if (to > offset) $select(el, offset, to).removeText();
      did = `delete ${block}:${offset}-${to}`;
    } else if (roll < 0.82) {
      const to = Math.min(size, offset + 1 + rand.int(5));
      const word = rand.pick(VOCABULARY);
      $select(el, offset, to).insertText(word);
      did = `replace ${block}:${offset}-${to} by "${word}"`;
    } else if (roll < 0.88) {
      const to = Math.min(size, offset + 1 + rand.int(10));
      if (to > offset) $select(el, offset, to).formatText('bold');
      did = `bold ${block}:${offset}-${to}`;
    } else if (roll < 0.92) {
      $select(el, offset, offset).insertParagraph();
      did = `split ${block} at ${offset}`;
    } else if (roll < 0.94 && block > 0) {
      $select(el, 0, 0).deleteCharacter(true);
      did = `join ${block} onto ${block - 1}`;
    } else if (roll < 0.955 && root.getChildrenSize() > 6) {
      el.remove();
      did = `delete block ${block}`;
    } else {
      el.insertAfter($createParagraphNode().append($createTextNode(words(rand, 3 + rand.int(8)))));
      did = `new block after ${block}`;
    }
    $setSelection(null);
  });
  return did;
}

// ---- REST edits: Markdown of a revision, changed and PATCHed from that revision ----

function restEdit(markdown: string, rand: Rand): string {
  const blocks = markdown.trimEnd().split('\n\n');
  const edits = 1 + rand.int(3);
  for (let e = 0; e < edits; e++) {
    const i = rand.int(blocks.length);
    const tokens = (blocks[i] ?? '').split(' ').filter(Boolean);
    const at = rand.int(tokens.length + 1);
    const roll = rand.next();
    if (roll < 0.35) tokens.splice(at, 0, ...words(rand, 1 + rand.int(3)).split(' '));
    else if (roll < 0.57 && tokens.length > 1) tokens.splice(Math.min(at, tokens.length - 1), 1);
    else if (roll < 0.75 && tokens.length) tokens[Math.min(at, tokens.length - 1)] = rand.pick(VOCABULARY);
    else if (roll < 0.77 && blocks.length > 6) {
      blocks.splice(i, 1);
      continue;
    } else if (roll < 0.8 && tokens.length > 2) {
      blocks.splice(i, 1, tokens.slice(0, at).join(' ') || 'start', tokens.slice(at).join(' ') || 'end');
      continue;
    } else if (roll < 0.83 && i + 1 < blocks.length) {
      blocks.splice(i, 2, `${blocks[i]} ${blocks[i + 1]}`);
      continue;
    } else {
      blocks.splice(i + 1, 0, words(rand, 3 + rand.int(8)));
      continue;
    }
    blocks[i] = tokens.join(' ') || rand.pick(VOCABULARY);
  }
  return blocks.filter((b) => b.trim()).join('\n\n');
}

let app: CollabApp;
let people: Person[];
let space: string;

beforeAll(async () => {
  app = await startCollabApp();
  people = [await app.api.signup('ada'), await app.api.signup('bob'), await app.api.signup('cy')];
  space = await app.api.space(people[0]!, 'Anchors');
});
afterAll(async () => {
  await app.close();
});

const storedDoc = async (docId: string) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await app.api.t.deps.docs.loadState(app.api.t.deps.db, docId));
  return doc;
};

type Listed = Array<{ id: string; anchor: { quote: string; relative: { start: string; end: string }; current: string | null; orphaned: boolean } }>;

describe('anchor survival', () => {
  it(`threads keep covering their text (or are orphaned) through ${EDITS} concurrent live and REST edits — seed ${SEED}`, async () => {
    console.log(`anchor survival: seed ${SEED} (replay the same choices with ANCHOR_SEED=${SEED})`);
    const rand = prng(SEED);
    const paragraphs = Array.from({ length: 16 }, () =>
      Array.from({ length: 14 + rand.int(11) }, () => (rand.chance(0.12) ? `**${rand.pick(VOCABULARY)}**` : rand.pick(VOCABULARY))).join(' '),
    );
    const [ada] = people as [Person, Person, Person];
    const doc = await app.api.doc(ada, space, 'Anchored', paragraphs.join('\n\n'));
    const clients = people.map((p) => app.join(doc.id, p));
    await Promise.all(clients.map((c) => c.synced()));
    const listThreads = async () => (await app.api.get(`/api/docs/${doc.id}/threads?status=all`, ada.token)).body.threads as Listed;

    /** Every client acknowledged and holding the server's stored state (deletions included); that state. */
    const converged = async () => {
      await Promise.all(clients.map((c) => c.acked(20_000)));
      return waitFor(
        async () => {
          // Same state vector and same deletions (a deletion does not move the state vector).
          const stored = await storedDoc(doc.id);
          const snapshot = Y.snapshot(stored);
          if (clients.every((c) => Y.equalSnapshots(Y.snapshot(c.doc), snapshot))) return stored;
          stored.destroy();
          return null;
        },
        20_000,
        'every client to hold the server state',
      );
    };

    // ---- Threads (made in four waves, before each quarter of the edits): half by quote through REST, half
    // by relative positions as an editor sends them, on random ranges of random blocks.
    const recorded: Recorded[] = [];
    const createThreads = async (n: number) => {
      const before = await converged();
      before.destroy();
      const made: Recorded[] = [];
      for (let k = 0; k < n; k++) {
        const author = people[recorded.length % people.length]!;
        const layout = layoutOf(clients[0]!.doc).filter((b) => b.text.length > 1);
        const b = layout[rand.int(layout.length)]!;
        const from = rand.int(b.text.length - 1);
        const to = Math.min(b.text.length, from + 1 + rand.int(30));
        const via = recorded.length % 2 === 0 ? 'quote' : 'relative';
        let anchor: unknown;
        if (via === 'quote') anchor = { quote: b.text.slice(from, to) };
        else {
          const s = b.points[from]!;
          const e = b.points[to - 1]!;
          const start = Y.createRelativePositionFromTypeIndex(s.type, s.index, rand.chance(0.5) ? 0 : -1);
          const end = Y.createRelativePositionFromTypeIndex(e.type, e.index + 1, rand.chance(0.5) ? -1 : 0);
          const b64 = (r: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(r)).toString('base64');
          anchor = { relative: { start: b64(start), end: b64(end) } };
        }
        const res = await app.api.post(`/api/docs/${doc.id}/threads`, { markdown: `Thread ${recorded.length}`, anchor }, author.token);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const quote = res.body.thread.anchor.quote as string;
        if (via === 'relative') expect(quote).toBe(b.text.slice(from, to));
        const t: Recorded = { id: res.body.thread.id, via, quote, start: '', end: '', startId: '', endId: '', blockId: '', coveredIds: [] };
        recorded.push(t);
        made.push(t);
      }
      // What each new range covers, in the server's stored state: its characters' ids and its block.
      const listed = await listThreads();
      const now = await storedDoc(doc.id);
      for (const t of made) {
        const found = listed.find((l) => l.id === t.id)!;
        t.start = found.anchor.relative.start;
        t.end = found.anchor.relative.end;
        t.startId = boundId(t.start);
        t.endId = boundId(t.end);
        for (const b of blockItems(now).filter((x) => !x.deleted)) {
          const units = unitsOf(b.type);
          const from = units.findIndex((u) => u.id === t.startId);
          if (from < 0) continue;
          const to = units.findIndex((u) => u.id === t.endId);
          t.blockId = b.id;
          t.coveredIds = units.slice(from, to + 1).filter((u) => u.live && u.ch !== null).map((u) => u.id);
        }
        expect(t.blockId, `thread ${t.id}: its start is in no block`).not.toBe('');
        expect(reference(now, t).text).toBe(t.quote);
        expect(found.anchor).toMatchObject({ orphaned: false, current: t.quote });
      }
      now.destroy();
    };

    // ---- Edits: three live typists and two REST clients at once.
    const log: string[] = [];
    const crashes: string[] = [];
    let round = 0;
    const editRound = async (live: number, rest: number) => {
      round++;
      const liveLoops = clients.map(async (_, n) => {
        const r = prng(SEED + 1000 * round + n);
        const mine = Math.floor(live / clients.length) + (n < live % clients.length ? 1 : 0);
        for (let i = 0; i < mine; i++) {
          const c = clients[n]!;
          try {
            log.push(`live ${n}: ${liveEdit(c, r, recorded)}`);
          } catch (err) {
            // The editor's binding threw while writing the edit to its Y.Doc (a known, rare
            // @lexical/yjs failure under concurrent edits, reported with this test): that editor is
            // done for, as a browser tab would be. It leaves and a fresh one joins; what it had sent
            // stays, whatever it had not is lost. Counted and printed.
            const recent = log.filter((l) => l.startsWith(`live ${n}:`)).slice(-3);
            crashes.push(`live editor ${n}, edit ${i} (after: ${recent.join('; ')}): ${(err as Error).message}`);
            log.push(`live ${n}: crashed`);
            c.destroy();
            clients[n] = app.join(doc.id, people[n]!);
            await clients[n]!.synced();
          }
          if (r.chance(0.7)) await sleep(r.int(6));
        }
      });
      const restLoops = [0, 1].map(async (n) => {
        const r = prng(SEED + 1000 * round + 100 + n);
        const person = people[n]!;
        const mine = Math.floor(rest / 2) + (n < rest % 2 ? 1 : 0);
        for (let i = 0; i < mine; i++) {
          const read = (await app.api.get(`/api/docs/${doc.id}?peek=1`, person.token)).body.doc as { markdown: string; revision: number };
          await sleep(r.int(25)); // live typing goes on between the read and the write
          if (r.chance(0.03) && read.revision > 2) {
            const revision = Math.max(1, read.revision - 1 - r.int(3)); // undo one of the last changes
            const res = await app.api.post(`/api/docs/${doc.id}/revisions/${revision}/restore`, {}, person.token);
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            log.push(`rest ${n}: restore revision ${revision}`);
          } else {
            const res = await app.api.patch(`/api/docs/${doc.id}`, { markdown: restEdit(read.markdown, r), baseRevision: read.revision }, person.token);
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            log.push(`rest ${n}: PATCH from revision ${read.revision}`);
          }
        }
      });
      await Promise.all([...liveLoops, ...restLoops]);
    };

    const waves = 4;
    for (let w = 0; w < waves; w++) {
      await createThreads(THREADS / waves);
      const live = Math.round((EDITS - REST_EDITS) / waves);
      const rest = Math.round(REST_EDITS / waves);
      await editRound(w === waves - 1 ? EDITS - REST_EDITS - live * (waves - 1) : live, w === waves - 1 ? REST_EDITS - rest * (waves - 1) : rest);
    }
    expect(log).toHaveLength(EDITS);

    // ---- Converged: every client holds the server's state and shows the same document. (A client's
    // editor taking in what arrived may normalize text nodes and send that too: until nothing moves.)
    let final = await converged();
    for (let settled = false; !settled; ) {
      for (const c of clients) c.editor.update(() => {});
      const again = await converged();
      settled = Y.equalSnapshots(Y.snapshot(again), Y.snapshot(final));
      final.destroy();
      final = again;
    }
    // Each client's editor shows its Y.Doc. (Known @lexical/yjs 0.52 V1 binding issue, reported with
    // this test: after concurrent range deletions across text nodes a long-lived editor can, rarely,
    // show other text than its own — converged — Y.Doc; a fresh editor on the same Y.Doc does not.
    // Anchors are Yjs positions resolved on the server's Y.Doc and do not depend on any editor, so
    // this is counted and printed, not asserted.)
    const stored = openHeadlessDoc(Y.encodeStateAsUpdate(final));
    const storedMarkdown = stored.read(() => $rootToMarkdown());
    stored.dispose();
    const drifted = clients.filter((c) => c.editor.read(() => $rootToMarkdown()) !== storedMarkdown).length;
    if (drifted) console.warn(`anchor survival (seed ${SEED}): ${drifted} of ${clients.length} live editors show other text than their converged Y.Doc (@lexical/yjs binding drift)`);

    // ---- Every thread: listed; orphaned, or covering exactly the reference text in its own block.
    const after = await listThreads();
    expect(after.map((t) => t.id).sort()).toEqual(recorded.map((t) => t.id).sort());
    const stats = { kept: 0, orphaned: 0, grew: 0, changed: 0 };
    for (const t of recorded) {
      const got = after.find((a) => a.id === t.id)!.anchor;
      const ref = reference(final, t);
      const where = `thread ${t.id} (by ${t.via}, quote ${JSON.stringify(t.quote)}, seed ${SEED})`;
      expect(got.relative).toEqual({ start: t.start, end: t.end });
      expect(got.quote).toBe(t.quote);
      if (ref.text === null) {
        expect(got, `${where}: the reference range is empty or its block is gone`).toMatchObject({ orphaned: true, current: null });
        expect(ref.survivors > 0 && ref.blockAlive, `${where}: orphaned although some of its characters live in its block`).toBe(false);
        stats.orphaned++;
        continue;
      }
      expect(got, `${where}: reference ${JSON.stringify(ref.text)}`).toMatchObject({ orphaned: false, current: ref.text });
      expect(resolvedBlockId(final, t.start), `${where}: start in another block`).toBe(t.blockId);
      expect(resolvedBlockId(final, t.end), `${where}: end in another block`).toBe(t.blockId);
      stats.kept++;
      if (ref.survivors === 0) stats.grew++;
      if (ref.text !== t.quote) stats.changed++;
    }
    if (crashes.length) console.warn(`anchor survival (seed ${SEED}): ${crashes.length} live editor(s) crashed in @lexical/yjs and were replaced:\n${crashes.join('\n')}`);
    console.log(
      `anchor survival (seed ${SEED}): ${stats.kept} of ${recorded.length} threads still anchored (${stats.changed} of them on edited text, ${stats.grew} only on text typed inside them), ${stats.orphaned} orphaned; final body ${final.get('root', Y.XmlText).length} blocks`,
    );
    // Not vacuous: the edits hit the ranges, and anchors outlived them.
    expect(stats.kept).toBeGreaterThan(0);
    expect(stats.changed + stats.orphaned).toBeGreaterThan(0);
    final.destroy();
    for (const c of clients) c.destroy();
  }, 180_000);

  it('a PATCH that rewords the rest of a paragraph, a live edit beside it and a restore keep a thread on its words', async () => {
    const [ada, bob] = people as [Person, Person, Person];
    const doc = await app.api.doc(ada, space, 'Reworded', 'We ship the release on Friday at noon, after the review.\n\nSecond paragraph.');
    const typist = app.join(doc.id, bob);
    await typist.synced();
    const created = await app.api.post(`/api/docs/${doc.id}/threads`, { markdown: 'Which Friday?', anchor: { quote: 'on Friday at noon' } }, ada.token);
    expect(created.status).toBe(201);
    const anchorOf = async () => {
      const threads = (await app.api.get(`/api/docs/${doc.id}/threads`, ada.token)).body.threads as Array<{ anchor: { orphaned: boolean; current: string | null } }>;
      return threads[0]!.anchor;
    };

    // Bob types at the end of the paragraph while a REST client rewrites its other words from revision 1.
    typist.type(0, ' Promise.');
    await typist.acked();
    const patched = await app.api.patch(`/api/docs/${doc.id}`, { baseRevision: 1, markdown: 'They ship a release on Friday at noon, right after the final review.\n\nSecond paragraph.' }, ada.token);
    expect(patched.status).toBe(200);
    expect(patched.body.doc.markdown).toBe('They ship a release on Friday at noon, right after the final review. Promise.\n\nSecond paragraph.\n');
    expect(await anchorOf()).toMatchObject({ orphaned: false, current: 'on Friday at noon' });
    await waitFor(() => typist.markdown() === patched.body.doc.markdown, 5000, 'the PATCH to reach the typist');

    // Restoring revision 1 brings the old words back around the same characters.
    const restored = await app.api.post(`/api/docs/${doc.id}/revisions/1/restore`, {}, ada.token);
    expect(restored.body.doc.markdown).toBe('We ship the release on Friday at noon, after the review.\n\nSecond paragraph.\n');
    expect(await anchorOf()).toMatchObject({ orphaned: false, current: 'on Friday at noon' });

    // A PATCH that edits inside the range: the range follows; one that deletes it: orphaned.
    await app.api.patch(`/api/docs/${doc.id}`, { markdown: 'We ship the release on Friday at 12:00 noon, after the review.\n\nSecond paragraph.' }, ada.token);
    expect(await anchorOf()).toMatchObject({ orphaned: false, current: 'on Friday at 12:00 noon' });
    await app.api.patch(`/api/docs/${doc.id}`, { markdown: 'We ship the release later, after the review.\n\nSecond paragraph.' }, ada.token);
    expect(await anchorOf()).toMatchObject({ orphaned: true, current: null });
    typist.destroy();
  });
});
