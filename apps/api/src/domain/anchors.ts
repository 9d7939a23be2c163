import * as Y from 'yjs';

/**
 * Comment anchors: a range of a document's text held as two Yjs relative positions in its Y.Doc,
 * so the range follows its text through every edit — live collaborators, REST PATCHes and
 * restores all change the body through Yjs. The start is bound to the range's first character
 * and the end to its last, so text typed just outside the range stays outside it.
 *
 * A range lies inside one top-level block (a paragraph, heading, list, quote …), possibly across
 * nested inline elements such as links. It is *orphaned* when its text is gone: a bound character
 * was removed together with its block, the range covers nothing any more, or a position cannot be
 * resolved. The Y.Doc is laid out by `@lexical/yjs`'s V1 binding: the shared `root` XmlText holds
 * one embedded XmlText per block; text nodes are a property map followed by their characters;
 * inline elements (links) are nested XmlTexts; line breaks are maps (read here as "\n"); nested
 * blocks (list items, nested lists, table cells) are nested XmlTexts too, each starting a new line
 * of the block's text (a "\n" standing for the nested block's embed).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event type
type AnyType = Y.AbstractType<any>;

/** A character position: an index into one XmlText. */
interface Point {
  type: Y.XmlText;
  index: number;
}

/** A block's text with the position of each of its characters. */
interface FlatBlock {
  block: Y.XmlText;
  text: string;
  /** The position of each UTF-16 unit of `text`. */
  points: Point[];
  /** For each XmlText inside the block: index → offset into `text` of the next character. */
  offsets: Map<object, number[]>;
  /** Offsets of the "\n" that stand for nested blocks (not characters of their own). */
  separators: Set<number>;
}

export interface EncodedAnchor {
  start: Uint8Array;
  end: Uint8Array;
  /** The text the range covers. */
  quote: string;
}

/** What a stored anchor covers now: its text, or null when orphaned. */
export type ResolvedAnchor = { orphaned: false; text: string } | { orphaned: true; text: null };

const ORPHANED: ResolvedAnchor = { orphaned: true, text: null };

function isLineBreak(embed: unknown): boolean {
  return embed instanceof Y.Map && embed.get('__type') === 'linebreak';
}

/** Element types that sit inside a line of text (the rest are blocks). */
const INLINE_ELEMENTS = new Set(['link', 'autolink', 'doc-link']);

function flatten(block: Y.XmlText): FlatBlock {
  const flat: FlatBlock = { block, text: '', points: [], offsets: new Map(), separators: new Set() };
  const chars: string[] = [];
  const walk = (type: Y.XmlText) => {
    const offsets: number[] = [];
    flat.offsets.set(type, offsets);
    let index = 0;
    for (const op of type.toDelta() as Array<{ insert: unknown }>) {
      if (typeof op.insert === 'string') {
        for (let i = 0; i < op.insert.length; i++) {
          offsets[index] = chars.length;
          flat.points.push({ type, index });
          chars.push(op.insert[i]!);
          index++;
        }
        continue;
      }
      offsets[index] = chars.length;
      if (op.insert instanceof Y.XmlText) {
        const inline = INLINE_ELEMENTS.has(String(op.insert.getAttribute('__type')));
        if (!inline && chars.length && chars[chars.length - 1] !== '\n') {
          flat.separators.add(chars.length);
          flat.points.push({ type, index });
          chars.push('\n');
        }
        walk(op.insert);
      } else if (isLineBreak(op.insert)) {
        flat.points.push({ type, index });
        chars.push('\n');
      }
      index++;
    }
    offsets[index] = chars.length;
  };
  walk(block);
  flat.text = chars.join('');
  return flat;
}

/** The top-level blocks of the body, in order. */
function blocksOf(doc: Y.Doc): Y.XmlText[] {
  const root = doc.get('root', Y.XmlText);
  const blocks: Y.XmlText[] = [];
  for (const op of root.toDelta() as Array<{ insert: unknown }>) if (op.insert instanceof Y.XmlText) blocks.push(op.insert);
  return blocks;
}

/** The top-level block `type` sits in, or null when it (or anything above it) was deleted. */
function topBlockOf(doc: Y.Doc, type: AnyType): Y.XmlText | null {
  const root = doc.get('root', Y.XmlText);
  let current: AnyType = type;
  for (;;) {
    const item = current._item;
    if (item === null) return null; // reached a root type that is not inside `root`
    if (item.deleted) return null;
    const parent = item.parent as typeof current;
    if (parent === root) return current instanceof Y.XmlText ? current : null;
    current = parent;
  }
}

const encode = (point: Point, assoc: number) => Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(point.type, point.index + (assoc < 0 ? 1 : 0), assoc));

/**
 * Binds `[from, to)` of `flat` to its first and last characters; null when it is empty. A range
 * does not end on the line a nested block starts with: that stands for the whole nested block's
 * embed, and a position after it falls after the nested block's text.
 */
function anchorRange(flat: FlatBlock, from: number, to: number): EncodedAnchor | null {
  while (to > from && flat.separators.has(to - 1)) to--;
  if (to <= from) return null;
  return { start: encode(flat.points[from]!, 0), end: encode(flat.points[to - 1]!, -1), quote: flat.text.slice(from, to) };
}

/** Anchors on the first occurrence of `quote` inside one block, or null when there is none. */
export function anchorOnQuote(doc: Y.Doc, quote: string): EncodedAnchor | null {
  if (!quote) return null;
  for (const block of blocksOf(doc)) {
    const flat = flatten(block);
    const at = flat.text.indexOf(quote);
    const anchor = at >= 0 ? anchorRange(flat, at, at + quote.length) : null;
    if (anchor) return anchor;
  }
  return null;
}

interface Span {
  flat: FlatBlock;
  from: number;
  to: number;
}

/**
 * Where an encoded relative position falls now, or null when it cannot be resolved (not a relative
 * position, an update not seen yet, or a character whose type was deleted and garbage-collected).
 * A position inside a nested type that was deleted (and not collected) stands where that type was.
 */
function positionOf(doc: Y.Doc, encoded: Uint8Array): { type: AnyType; index: number } | null {
  let abs: Y.AbsolutePosition | null;
  try {
    abs = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(encoded), doc);
  } catch {
    return null;
  }
  if (!abs) return null;
  let type: AnyType = abs.type;
  let index = abs.index;
  for (let item = type._item; item?.deleted; item = type._item) {
    if (!(item.parent instanceof Y.AbstractType)) return null;
    index = 0;
    for (let left = item.left; left; left = left.left) if (!left.deleted && left.countable) index += left.length;
    type = item.parent;
  }
  return { type, index };
}

/** Where two encoded positions fall now (same block, in order), or null. */
function spanOf(doc: Y.Doc, start: Uint8Array, end: Uint8Array, cache?: Map<Y.XmlText, FlatBlock>): Span | null {
  const a = positionOf(doc, start);
  const b = positionOf(doc, end);
  if (!a || !b) return null;
  const block = topBlockOf(doc, a.type);
  if (!block || topBlockOf(doc, b.type) !== block) return null;
  let flat = cache?.get(block);
  if (!flat) {
    flat = flatten(block);
    cache?.set(block, flat);
  }
  const from = flat.offsets.get(a.type)?.[a.index];
  const to = flat.offsets.get(b.type)?.[b.index];
  if (from === undefined || to === undefined || to <= from) return null;
  return { flat, from, to };
}

/**
 * Anchors on a range an editor sent as two relative positions (any association). The range is
 * re-bound to its first and last characters; null when it cannot be resolved in `doc` (e.g. the
 * editor's change has not arrived yet), spans blocks or is empty.
 */
export function anchorOnRange(doc: Y.Doc, start: Uint8Array, end: Uint8Array): EncodedAnchor | null {
  const span = spanOf(doc, start, end);
  return span ? anchorRange(span.flat, span.from, span.to) : null;
}

/**
 * Resolves many anchors of one document at once (blocks are read once each). Call with the
 * document's current Y.Doc.
 */
export function createAnchorResolver(doc: Y.Doc): (start: Uint8Array, end: Uint8Array) => ResolvedAnchor {
  const cache = new Map<Y.XmlText, FlatBlock>();
  return (start, end) => {
    const span = spanOf(doc, start, end, cache);
    return span ? { orphaned: false, text: span.flat.text.slice(span.from, span.to) } : ORPHANED;
  };
}

/** A Y.Doc holding `state` (an encoded Y.Doc state, e.g. `DocEngine.loadState`). */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  if (state.byteLength) Y.applyUpdate(doc, state);
  return doc;
}
