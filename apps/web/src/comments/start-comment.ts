// "Comment" on what is selected in the editor: the selection becomes a draft anchored by two Yjs
// relative positions in the document's Y.Doc (see anchor-positions.ts), which the sidebar's
// composer posts with the first comment.

import { $createRangeSelectionFromDom, $getSelection, $isRangeSelection, type LexicalEditor, type RangeSelection } from 'lexical';
import type * as Y from 'yjs';
import { $selectionAnchor, encodeSpan } from './anchor-positions.ts';
import type { CommentsController } from './comments-controller.ts';

/** The DOM selection when it is a non-empty range inside the editor's root. */
export function editorDomSelection(editor: LexicalEditor): Selection | null {
  const root = editor.getRootElement();
  const selection = root?.ownerDocument.getSelection() ?? null;
  if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  if (!root.contains(selection.anchorNode) || !root.contains(selection.focusNode)) return null;
  return selection;
}

/**
 * The selection to comment on: Lexical's, or, in a read-only editor (where Lexical may not track
 * it), the one the browser shows inside the editor.
 */
function $commentSelection(editor: LexicalEditor): RangeSelection | null {
  const selection = $getSelection();
  if ($isRangeSelection(selection) && !selection.isCollapsed()) return selection;
  const dom = editorDomSelection(editor);
  const fromDom = dom ? $createRangeSelectionFromDom(dom, editor) : null;
  return fromDom && !fromDom.isCollapsed() ? fromDom : null;
}

/**
 * Starts a comment on the editor's selection (or, with nothing selected, on the whole document)
 * and returns what happened, for the caller's focus handling.
 */
export function startComment(editor: LexicalEditor, doc: Y.Doc, controller: CommentsController): 'range' | 'document' | 'failed' {
  const anchor = editor.read(() => {
    const selection = $commentSelection(editor);
    return selection ? $selectionAnchor(selection) : null;
  });
  if (!anchor) {
    controller.startDraft({ anchor: null });
    return 'document';
  }
  const encoded = encodeSpan(doc, anchor.span);
  if (!encoded || encoded.quote !== anchor.quote) {
    // The editor and its Y.Doc disagree for a moment (a change is being applied): try again.
    controller.setNotice('The document is still catching up with a change: select the text again in a moment.');
    return 'failed';
  }
  controller.startDraft({
    anchor: { relative: { start: encoded.start, end: encoded.end }, quote: encoded.quote, trimmed: anchor.trimmed },
  });
  return 'range';
}
