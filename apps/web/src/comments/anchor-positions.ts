// Where a comment thread sits in the text. A thread's anchor is two Yjs relative positions in the
// document's Y.Doc (the server binds them to the range's first and last characters), so it follows
// its text through every edit. This module maps between three views of one place in the body:
//
//   a Lexical point (a selection, a DOM range)  ⇄  a character offset in a top-level block's text
//   ⇄  a Yjs position in the Y.Doc
//
// A block's text is read the way the server's domain/anchors.ts reads it from the @lexical/yjs V1
// layout (shared type `root`, one embedded XmlText per block): the characters of its text nodes
// and "\n" for each line break, in order, through nested elements (links, list items, table cells);
// decorators count for nothing. Both sides see the same text whenever the editor and its Y.Doc
// are in step (the collaboration plugin syncs them synchronously), and every mapping checks that.
// No React, no binding internals; `$` functions run inside `editor.read()` / `editor.update()`.

import {
  $getRoot,
  $isElementNode,
  $isLineBreakNode,
  $isRootNode,
  $isTextNode,
  getDOMTextNode,
  type LexicalEditor,
  type LexicalNode,
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
}

function isLineBreak(embed: unknown): boolean {
  return embed instanceof Y.Map && embed.get('__type') === 'linebreak';
}

function flatten(block: Y.XmlText): FlatBlock {
  const flat: FlatBlock = { text: '', points: [], offsets: new Map() };
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
      if (op.insert instanceof Y.XmlText) walk(op.insert);
      else if (isLineBreak(op.insert)) {
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

/** The top-level block `type` sits in, or null when it (or anything above it) was deleted. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event type
function topBlockOf(root: Y.XmlText, type: Y.AbstractType<any>): Y.XmlText | null {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  let current: Y.AbstractType<any> = type;
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
 * server binds them), and the text they cover; null when the block is not there or is shorter.
 */
export function encodeSpan(doc: Y.Doc, span: BlockSpan): EncodedRange | null {
  const block = blocksOf(doc)[span.block];
  if (!(block instanceof Y.XmlText) || span.to <= span.from) return null;
  const flat = flatten(block);
  if (span.to > flat.text.length) return null;
  return {
    start: encodePosition(flat.points[span.from]!, 0),
    end: encodePosition(flat.points[span.to - 1]!, -1),
    quote: flat.text.slice(span.from, span.to),
  };
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
    if (!startBytes || !endBytes) return null;
    let a: Y.AbsolutePosition | null;
    let b: Y.AbsolutePosition | null;
    try {
      a = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(startBytes), doc);
      b = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(endBytes), doc);
    } catch {
      return null; // not a relative position, or one this replica has not received yet
    }
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

/** A leaf of a block's text: a text node or a line break, and where its characters are. */
interface Leaf {
  node: LexicalNode;
  start: number;
  end: number;
}

function $leavesOf(block: LexicalNode): { leaves: Leaf[]; text: string } {
  const leaves: Leaf[] = [];
  const parts: string[] = [];
  let at = 0;
  const visit = (node: LexicalNode) => {
    if ($isTextNode(node)) {
      const text = node.getTextContent();
      leaves.push({ node, start: at, end: at + text.length });
      parts.push(text);
      at += text.length;
    } else if ($isLineBreakNode(node)) {
      leaves.push({ node, start: at, end: at + 1 });
      parts.push('\n');
      at += 1;
    } else if ($isElementNode(node)) {
      for (const child of node.getChildren()) visit(child);
    }
  };
  visit(block);
  return { leaves, text: parts.join('') };
}

/** The text of a node as a block's text counts it (see the top of this file). */
function $flatLength(node: LexicalNode): number {
  if ($isTextNode(node)) return node.getTextContentSize();
  if ($isLineBreakNode(node)) return 1;
  if ($isElementNode(node)) return node.getChildren().reduce((sum, child) => sum + $flatLength(child), 0);
  return 0;
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
  let acc = 0;
  let result = -1;
  const visit = (current: LexicalNode): boolean => {
    if (current.is(node)) {
      if (point.type === 'text') result = acc + point.offset;
      else {
        const children = $isElementNode(current) ? current.getChildren() : [];
        for (let i = 0; i < point.offset && i < children.length; i++) acc += $flatLength(children[i]!);
        result = acc;
      }
      return true;
    }
    if ($isTextNode(current)) acc += current.getTextContentSize();
    else if ($isLineBreakNode(current)) acc += 1;
    else if ($isElementNode(current)) for (const child of current.getChildren()) if (visit(child)) return true;
    return false;
  };
  visit(top);
  return result < 0 ? null : { block: top.getIndexWithinParent(), offset: result };
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
    const { text } = $leavesOf(blocks[b]!);
    const from = b === start.block ? start.offset : 0;
    const to = b === end.block ? Math.min(end.offset, text.length) : text.length;
    if (to > from) parts.push({ span: { block: b, from, to }, text });
  }
  const chosen = parts[0];
  if (!chosen) return null;
  return { span: chosen.span, quote: chosen.text.slice(chosen.span.from, chosen.span.to), trimmed: parts.length > 1 };
}

/** The text of the top-level block at `index` as the editor shows it (null when there is none). */
export function $blockText(index: number): string | null {
  const block = $getRoot().getChildAtIndex(index);
  return block ? $leavesOf(block).text : null;
}

/**
 * The DOM range the editor shows `span` in, or null when the editor's block does not hold the
 * text `expectedText` (the editor has not caught up with the Y.Doc yet) or is not rendered.
 */
export function $domRangeOf(editor: LexicalEditor, span: BlockSpan, expectedText?: string): Range | null {
  const block = $getRoot().getChildAtIndex(span.block);
  if (!block) return null;
  const { leaves, text } = $leavesOf(block);
  if (expectedText !== undefined && text !== expectedText) return null;
  if (span.to > text.length || span.to <= span.from) return null;
  const first = leaves.find((leaf) => leaf.end > span.from);
  const last = leaves.findLast((leaf) => leaf.start < span.to);
  if (!first || !last) return null;
  const range = document.createRange();
  const startDom = editor.getElementByKey(first.node.getKey());
  const endDom = editor.getElementByKey(last.node.getKey());
  if (!startDom || !endDom) return null;
  if ($isTextNode(first.node)) {
    const textNode = getDOMTextNode(startDom);
    if (!textNode) return null;
    range.setStart(textNode, Math.min(span.from - first.start, textNode.length));
  } else {
    range.setStartBefore(startDom);
  }
  if ($isTextNode(last.node)) {
    const textNode = getDOMTextNode(endDom);
    if (!textNode) return null;
    range.setEnd(textNode, Math.min(span.to - last.start, textNode.length));
  } else {
    range.setEndAfter(endDom);
  }
  return range;
}
