// Syntax highlighting for code blocks: a node transform re-tokenizes a CodeNode's text with Prism
// and makes its children the matching CodeHighlightNodes (plus tabs and line breaks).
//
// Collaboration rules this follows:
// - Only this client's own edits are highlighted. Changes that arrive from Yjs (other people,
//   the server, undo) are never re-tokenized here: every open editor doing that at once would
//   replace the same nodes concurrently, and Yjs would keep every replacement (doubled text).
//   Whoever typed the change highlighted it before it was sent. (@lexical/yjs applies remote
//   changes with `skipTransforms`; the tag check below also covers a local update merged with one.)
//   So a block written by the server (Markdown import) shows plain until someone edits it.
// - The change is as small as possible: the untouched head and tail of the block stay, and where
//   the token layout is unchanged only the text or token type of a node is updated in place, which
//   Yjs merges with concurrent typing character by character.
// - It converges: a second pass over its own result finds nothing to change, and a block that is
//   still changing after MAX_REWRITES rewrites in one update is left alone (no transform loop).

import { $isCodeHighlightNode, $isCodeNode, CodeHighlightNode, CodeNode, $createCodeHighlightNode } from '@lexical/code';
import { mergeRegister } from '@lexical/utils';
import {
  $createLineBreakNode,
  $createParagraphNode,
  $createTabNode,
  $createTextNode,
  $getSelection,
  $hasUpdateTag,
  $isLineBreakNode,
  $isRangeSelection,
  $isTabNode,
  $isTextNode,
  COLLABORATION_TAG,
  HISTORIC_TAG,
  TextNode,
  type LexicalEditor,
  type LexicalNode,
  type NodeKey,
  type PointType,
  type RangeSelection,
} from 'lexical';
import { tokenizeCode, type CodePiece } from './code-tokens.ts';

const MAX_REWRITES = 4;

export function registerCodeHighlighting(editor: LexicalEditor): () => void {
  if (!editor.hasNodes([CodeNode, CodeHighlightNode])) {
    throw new Error('registerCodeHighlighting: CodeNode and CodeHighlightNode are not registered on the editor');
  }

  // Per update: the text each block had when it was last checked, and how often it was changed.
  // Every dirty child of a block fires the transform; one check per distinct text is enough.
  let checked = new Map<NodeKey, string>();
  let changes = new Map<NodeKey, number>();
  const isLocalChange = () => editor.isEditable() && !$hasUpdateTag(COLLABORATION_TAG) && !$hasUpdateTag(HISTORIC_TAG);

  const $onCode = (node: CodeNode) => {
    if (!isLocalChange() || !node.isAttached()) return;
    const key = node.getKey();
    const signature = `${node.getLanguage() ?? ''}\u0000${node.getTextContent()}`;
    if (checked.get(key) === signature) return;
    const count = changes.get(key) ?? 0;
    if (count >= MAX_REWRITES) return;
    if ($highlightCodeNode(node)) changes.set(key, count + 1);
    checked.set(key, signature);
  };

  const $onText = (node: TextNode) => {
    const parent = node.getParent();
    if ($isCodeNode(parent)) {
      $onCode(parent);
    } else if ($isCodeHighlightNode(node) && isLocalChange()) {
      // A highlighted run that left its code block (pasted, or the block was unwrapped) is text again.
      node.replace($createTextNode(node.getTextContent()).setFormat(node.getFormat()));
    }
  };

  return mergeRegister(
    editor.registerNodeTransform(CodeNode, $onCode),
    editor.registerNodeTransform(TextNode, $onText),
    editor.registerNodeTransform(CodeHighlightNode, $onText),
    editor.registerUpdateListener(() => {
      if (checked.size > 0) checked = new Map();
      if (changes.size > 0) changes = new Map();
    }),
  );
}

/**
 * Makes the children of `code` the highlighted pieces of its text. Returns whether anything
 * changed. Keeps a selection inside the block at the same text offsets.
 */
export function $highlightCodeNode(code: CodeNode): boolean {
  const pieces = tokenizeCode(code.getTextContent(), code.getLanguage());
  const children = code.getChildren();

  let head = 0;
  while (head < children.length && head < pieces.length && matches(children[head]!, pieces[head]!)) head++;
  let oldEnd = children.length;
  let newEnd = pieces.length;
  while (oldEnd > head && newEnd > head && matches(children[oldEnd - 1]!, pieces[newEnd - 1]!)) {
    oldEnd--;
    newEnd--;
  }
  if (head === oldEnd && head === newEnd) return false;

  const selection = $getSelection();
  const saved = $isRangeSelection(selection)
    ? { anchor: textOffsetIn(code, selection.anchor), focus: textOffsetIn(code, selection.focus) }
    : null;

  const oldMiddle = children.slice(head, oldEnd);
  const newMiddle = pieces.slice(head, newEnd);
  if (oldMiddle.length === newMiddle.length && oldMiddle.every((node, i) => sameShape(node, newMiddle[i]!))) {
    // Same layout: update text and token type where they differ, keep every node.
    oldMiddle.forEach((node, i) => {
      const piece = newMiddle[i]!;
      if (piece.kind === 'text' && $isCodeHighlightNode(node)) {
        if (node.getTextContent() !== piece.text) node.setTextContent(piece.text);
        if ((node.getHighlightType() ?? null) !== piece.type) node.setHighlightType(piece.type);
      }
    });
  } else {
    code.splice(head, oldEnd - head, newMiddle.map($createPieceNode));
  }

  if (saved && $isRangeSelection(selection)) {
    if (saved.anchor !== null) $restorePoint(code, selection.anchor, saved.anchor);
    if (saved.focus !== null) $restorePoint(code, selection.focus, saved.focus);
  }
  return true;
}

function $createPieceNode(piece: CodePiece): LexicalNode {
  if (piece.kind === 'linebreak') return $createLineBreakNode();
  if (piece.kind === 'tab') return $createTabNode();
  return $createCodeHighlightNode(piece.text, piece.type);
}

/** The node already is this piece. */
function matches(node: LexicalNode, piece: CodePiece): boolean {
  if (piece.kind === 'linebreak') return $isLineBreakNode(node);
  if (piece.kind === 'tab') return $isTabNode(node);
  return (
    $isCodeHighlightNode(node) &&
    node.getFormat() === 0 &&
    node.getTextContent() === piece.text &&
    (node.getHighlightType() ?? null) === piece.type
  );
}

/** The node can become this piece without being replaced. */
function sameShape(node: LexicalNode, piece: CodePiece): boolean {
  if (piece.kind === 'linebreak') return $isLineBreakNode(node);
  if (piece.kind === 'tab') return $isTabNode(node);
  return $isCodeHighlightNode(node) && node.getFormat() === 0;
}

/** Where `point` is, as an offset into the text of `code`; null when it is not inside `code`. */
function textOffsetIn(code: CodeNode, point: PointType): number | null {
  const node = point.getNode();
  if (point.type === 'element') {
    if (!node.is(code)) return null;
    return code
      .getChildren()
      .slice(0, point.offset)
      .reduce((sum, child) => sum + child.getTextContentSize(), 0);
  }
  if (!node.getParent()?.is(code)) return null;
  return node.getPreviousSiblings().reduce((sum, sibling) => sum + sibling.getTextContentSize(), point.offset);
}

/** Puts `point` at text offset `offset` of `code`, on a text node wherever there is one. */
function $restorePoint(code: CodeNode, point: PointType, offset: number): void {
  let remaining = offset;
  const children = code.getChildren();
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const size = child.getTextContentSize();
    if ($isTextNode(child)) {
      if (remaining <= size) {
        point.set(child.getKey(), remaining, 'text');
        return;
      }
    } else if (remaining === 0) {
      point.set(code.getKey(), i, 'element');
      return;
    }
    remaining -= size;
  }
  point.set(code.getKey(), children.length, 'element');
}

/**
 * Enter on the second empty line at the end of a code block leaves it: the two empty lines go and
 * a paragraph follows the block. @lexical/code does this in its CodeExtension (which
 * LexicalComposer does not load) and, deprecated, in CodeNode.insertNewAfter; handled here so it
 * keeps working when that fallback goes. Returns whether it did.
 */
export function $exitCodeBlockOnEnter(selection: RangeSelection): boolean {
  const { anchor } = selection;
  if (!selection.isCollapsed() || anchor.type !== 'element') return false;
  const code = anchor.getNode();
  if (!$isCodeNode(code)) return false;
  const size = code.getChildrenSize();
  const last = code.getLastChild();
  if (size < 2 || anchor.offset !== size || !$isLineBreakNode(last) || !$isLineBreakNode(last.getPreviousSibling())) {
    return false;
  }
  const paragraph = $createParagraphNode();
  code.splice(size - 2, 2, []);
  code.insertAfter(paragraph);
  paragraph.select();
  return true;
}
