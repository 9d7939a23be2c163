// Where a comment thread sits in the text. A thread's anchor is two Yjs relative positions in the
// document's Y.Doc (the server binds them to the range's first and last characters), so it follows
// its text through every edit. This module maps between three views of one place in the body:
//
//   a Lexical point (a selection, a DOM range)  ⇄  a character offset in a top-level block's text
//   ⇄  a Yjs position in the Y.Doc
//
// A block's text is read the way the server's domain/anchors.ts reads it from the @lexical/yjs V1
// layout (shared type `root`, one embedded XmlText per block): the characters of its text nodes
// and "\n" for each line break, in order, through inline elements (links); a nested block (list
// item, nested list, table cell) starts a new line of the block's text (a "\n" separator standing
// for its embed); decorators count for nothing. Both sides see the same text whenever the editor
// and its Y.Doc are in step (the collaboration plugin syncs them synchronously), and every mapping
// checks that. No React, no binding internals; `$` functions run inside `editor.read()`/`update()`.

import {
  $getRoot,
  $isElementNode,
  $isLineBreakNode,
  $isRootNode,
  $isTextNode,
  getDOMTextNode,
  type ElementNode,
  type LexicalEditor,
  type LexicalNode,
  type NodeKey,
  type PointType,
  type RangeSelection,
} from 'lexical';
import * as Y from 'yjs';

/** A non-empty range `[from, to)` of the text of the top-level block at index `block`. */
export interface BlockSpan {
  block: number;
  from: number;
  to: number;
}

/** An anchor as `POST /api/docs/:id/threads` takes it, with the text it covers. */
export interface EncodedRange {
  start: string;
  end: string;
  quote: string;
}

// ---------------------------------------------------------------------------------------------
// The Y.Doc side

/** A character position: an index into one XmlText. */
interface YPoint {
  type: Y.XmlText;
  index: number;
}

/** A block's text, the Yjs position of each of its characters, and the way back. */
interface FlatBlock {
  text: string;
  points: YPoint[];
  /** For each XmlText inside the block: index → offset into `text` of the next character. */
  offsets: Map<Y.XmlText, number[]>;
  /** Offsets of the "\n" that stand for nested blocks (not characters of their own). */
  separators: Set<number>;
}

/** Element types that sit inside a line of text; other elements nested in a block are blocks. */
const INLINE_ELEMENTS = new Set(['link', 'autolink', 'doc-link']);

function isLineBreak(embed: unknown): boolean {
  return embed instanceof Y.Map && embed.get('__type') === 'linebreak';
}

function flatten(block: Y.XmlText): FlatBlock {
  const flat: FlatBlock = { text: '', points: [], offsets: new Map(), separators: new Set() };
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

/** The top-level blocks of the body (elements and decorators alike), in the editor's order. */
function blocksOf(doc: Y.Doc): unknown[] {
  const root = doc.get('root', Y.XmlText);
  const blocks: unknown[] = [];
  for (const op of root.toDelta() as Array<{ insert: unknown }>) if (typeof op.insert !== 'string') blocks.push(op.insert);
  return blocks;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event type
type AnyType = Y.AbstractType<any>;

/** The top-level block `type` sits in, or null when it (or anything above it) was deleted. */
function topBlockOf(root: Y.XmlText, type: AnyType): Y.XmlText | null {
  let current: AnyType = type;
  for (;;) {
    const item = current._item;
    if (item === null || item.deleted) return null;
    const parent = item.parent as typeof current;
    if (parent === root) return current instanceof Y.XmlText ? current : null;
    current = parent;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

function encodePosition(point: YPoint, assoc: number): string {
  const index = point.index + (assoc < 0 ? 1 : 0);
  return toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(point.type, index, assoc)));
}

/**
 * The relative positions of `span` in `doc`, bound to its first and last characters (as the
 * server binds them: never ending on a nested block's separator), and the text they cover; null
 * when the block is not there, is shorter, or the span holds no character.
 */
export function encodeSpan(doc: Y.Doc, span: BlockSpan): EncodedRange | null {
  const block = blocksOf(doc)[span.block];
  if (!(block instanceof Y.XmlText) || span.to <= span.from) return null;
  const flat = flatten(block);
  if (span.to > flat.text.length) return null;
  let to = span.to;
  while (to > span.from && flat.separators.has(to - 1)) to--;
  if (to <= span.from) return null;
  return {
    start: encodePosition(flat.points[span.from]!, 0),
    end: encodePosition(flat.points[to - 1]!, -1),
    quote: flat.text.slice(span.from, to),
  };
}

/**
 * Where a relative position falls now, or null when it cannot be resolved (not a relative position,
 * an update this replica has not received, a character whose type was deleted and collected). A
 * position inside a nested type that was deleted (and not collected) stands where that type was —
 * the server's rule, so that both say the same about which threads lost their text.
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

/** Where an anchor lies in the Y.Doc now, as a block span with the block's current text. */
export interface ResolvedSpan extends BlockSpan {
  /** The whole text of the block (to check the editor shows the same). */
  blockText: string;
}

/**
 * Resolves many anchors against one state of `doc` (blocks are read once each). An anchor
 * resolves when both positions are in the same live block, in order, covering at least one
 * character — the server's rule for "not orphaned".
 */
export function createSpanResolver(doc: Y.Doc): (start: string, end: string) => ResolvedSpan | null {
  const root = doc.get('root', Y.XmlText);
  let blockIndex: Map<unknown, number> | null = null;
  const flats = new Map<Y.XmlText, FlatBlock>();
  return (start, end) => {
    const startBytes = fromBase64(start);
    const endBytes = fromBase64(end);
    const a = startBytes && positionOf(doc, startBytes);
    const b = endBytes && positionOf(doc, endBytes);
    if (!a || !b) return null;
    const block = topBlockOf(root, a.type);
    if (!block || topBlockOf(root, b.type) !== block) return null;
    let flat = flats.get(block);
    if (!flat) {
      flat = flatten(block);
      flats.set(block, flat);
    }
    const from = flat.offsets.get(a.type as Y.XmlText)?.[a.index];
    const to = flat.offsets.get(b.type as Y.XmlText)?.[b.index];
    if (from === undefined || to === undefined || to <= from) return null;
    blockIndex ??= new Map(blocksOf(doc).map((type, i) => [type, i]));
    const index = blockIndex.get(block);
    if (index === undefined) return null;
    return { block: index, from, to, blockText: flat.text };
  };
}

// ---------------------------------------------------------------------------------------------
// The Lexical side

/** A piece of a block's text: a text node, a line break, or the separator before a nested block. */
interface Leaf {
  node: LexicalNode;
  kind: 'text' | 'break' | 'separator';
  start: number;
  end: number;
}

/** A block's text as the editor holds it, laid out exactly as `flatten` reads the Y.Doc. */
interface LexicalBlock {
  text: string;
  leaves: Leaf[];
  /** For each element inside the block: child index → offset into `text` of what comes next. */
  offsets: Map<NodeKey, number[]>;
  separators: Set<number>;
}

function $readBlock(block: LexicalNode): LexicalBlock {
  const out: LexicalBlock = { text: '', leaves: [], offsets: new Map(), separators: new Set() };
  const parts: string[] = [];
  let at = 0;
  let last = '';
  const push = (node: LexicalNode, kind: Leaf['kind'], text: string) => {
    out.leaves.push({ node, kind, start: at, end: at + text.length });
    parts.push(text);
    at += text.length;
    if (text) last = text[text.length - 1]!;
  };
  const walk = (element: ElementNode) => {
    const offsets: number[] = [];
    out.offsets.set(element.getKey(), offsets);
    const children = element.getChildren();
    children.forEach((child, i) => {
      offsets[i] = at;
      if ($isTextNode(child)) push(child, 'text', child.getTextContent());
      else if ($isLineBreakNode(child)) push(child, 'break', '\n');
      else if ($isElementNode(child)) {
        if (!INLINE_ELEMENTS.has(child.getType()) && at > 0 && last !== '\n') {
          out.separators.add(at);
          push(child, 'separator', '\n');
        }
        walk(child);
      }
    });
    offsets[children.length] = at;
  };
  if ($isElementNode(block)) walk(block);
  out.text = parts.join('');
  return out;
}

/** The child of the root that `node` is in (table cells are shadow roots: go past them). */
function $topBlockOf(node: LexicalNode): LexicalNode | null {
  let current: LexicalNode = node;
  for (;;) {
    const parent = current.getParent();
    if (parent === null) return null;
    if ($isRootNode(parent)) return current;
    current = parent;
  }
}

/** A point as (block index, offset into the block's text). */
function $flatPoint(point: PointType): { block: number; offset: number } | null {
  const node = point.getNode();
  if ($isRootNode(node)) return { block: point.offset, offset: 0 };
  const top = $topBlockOf(node);
  if (!top) return null;
  const read = $readBlock(top);
  let offset: number | undefined;
  if (point.type === 'text') {
    const leaf = read.leaves.find((l) => l.kind === 'text' && l.node.is(node));
    offset = leaf ? leaf.start + point.offset : undefined;
  } else {
    const offsets = read.offsets.get(node.getKey());
    offset = offsets?.[Math.min(point.offset, offsets.length - 1)];
  }
  return offset === undefined ? null : { block: top.getIndexWithinParent(), offset };
}

/** What a selection anchors: one block's part of it, the text, and whether more was selected. */
export interface SelectionAnchor {
  span: BlockSpan;
  quote: string;
  /** The selection went on into other blocks: only the first block's part is anchored. */
  trimmed: boolean;
}

/**
 * The part of a selection a thread can anchor on: a thread lies within one block (a paragraph, a
 * heading, a list, a table…), so a selection across blocks keeps the first block's non-empty part
 * and says so (`trimmed`). Null for an empty selection.
 */
export function $selectionAnchor(selection: RangeSelection): SelectionAnchor | null {
  if (selection.isCollapsed()) return null;
  const [first, last] = selection.isBackward() ? [selection.focus, selection.anchor] : [selection.anchor, selection.focus];
  const start = $flatPoint(first);
  const end = $flatPoint(last);
  if (!start || !end) return null;
  const blocks = $getRoot().getChildren();
  const parts: Array<{ span: BlockSpan; text: string }> = [];
  for (let b = start.block; b <= end.block && b < blocks.length; b++) {
    const { text, separators } = $readBlock(blocks[b]!);
    let from = b === start.block ? start.offset : 0;
    let to = b === end.block ? Math.min(end.offset, text.length) : text.length;
    // A nested block's separator is no character of its own: the range neither starts nor ends on one.
    while (from < to && separators.has(from)) from++;
    while (to > from && separators.has(to - 1)) to--;
    if (to > from) parts.push({ span: { block: b, from, to }, text });
  }
  const chosen = parts[0];
  if (!chosen) return null;
  return { span: chosen.span, quote: chosen.text.slice(chosen.span.from, chosen.span.to), trimmed: parts.length > 1 };
}

/** The text of the top-level block at `index` as the editor shows it (null when there is none). */
export function $blockText(index: number): string | null {
  const block = $getRoot().getChildAtIndex(index);
  return block ? $readBlock(block).text : null;
}

/**
 * The DOM range the editor shows `span` in, or null when the editor's block does not hold the
 * text `expectedText` (the editor has not caught up with the Y.Doc yet) or is not rendered.
 */
export function $domRangeOf(editor: LexicalEditor, span: BlockSpan, expectedText?: string): Range | null {
  const block = $getRoot().getChildAtIndex(span.block);
  if (!block) return null;
  const { leaves, text } = $readBlock(block);
  if (expectedText !== undefined && text !== expectedText) return null;
  if (span.to > text.length || span.to <= span.from) return null;
  const first = leaves.find((leaf) => leaf.end > span.from);
  const last = leaves.findLast((leaf) => leaf.start < span.to);
  if (!first || !last) return null;
  const range = document.createRange();
  const startDom = editor.getElementByKey(first.node.getKey());
  const endDom = editor.getElementByKey(last.node.getKey());
  if (!startDom || !endDom) return null;
  if (first.kind === 'text') {
    const textNode = getDOMTextNode(startDom);
    if (!textNode) return null;
    range.setStart(textNode, Math.min(span.from - first.start, textNode.length));
  } else {
    range.setStartBefore(startDom); // a line break, or the nested block a separator stands for
  }
  if (last.kind === 'text') {
    const textNode = getDOMTextNode(endDom);
    if (!textNode) return null;
    range.setEnd(textNode, Math.min(span.to - last.start, textNode.length));
  } else if (last.kind === 'break') {
    range.setEndAfter(endDom);
  } else {
    range.setEndBefore(endDom);
  }
  return range;
}
