// Turning the current block into another kind, shared by the toolbar and the "/" menu.

import { $createCodeNode, $isCodeNode } from '@lexical/code';
import { INSERT_HORIZONTAL_RULE_COMMAND } from '@lexical/extension';
import {
  $isListNode,
  INSERT_CHECK_LIST_COMMAND,
  INSERT_ORDERED_LIST_COMMAND,
  INSERT_UNORDERED_LIST_COMMAND,
  ListNode,
  REMOVE_LIST_COMMAND,
} from '@lexical/list';
import { $createHeadingNode, $createQuoteNode, $isHeadingNode, $isQuoteNode } from '@lexical/rich-text';
import { $setBlocksType } from '@lexical/selection';
import { INSERT_TABLE_COMMAND } from '@lexical/table';
import { $findMatchingParent, $getNearestNodeOfType } from '@lexical/utils';
import {
  $createParagraphNode,
  $getNodeByKey,
  $getSelection,
  $isRangeSelection,
  $isRootOrShadowRoot,
  createCommand,
  type ElementNode,
  type LexicalCommand,
  type LexicalEditor,
  type LexicalNode,
} from 'lexical';

/** Opens the toolbar's link box for the selection (the "/" menu's "Link"). */
export const OPEN_LINK_EDITOR_COMMAND: LexicalCommand<void> = createCommand('OPEN_LINK_EDITOR_COMMAND');

export type BlockType = 'paragraph' | 'h1' | 'h2' | 'h3' | 'quote' | 'code' | 'bullet' | 'number' | 'check';

export const BLOCK_LABELS: Record<BlockType, string> = {
  paragraph: 'Text',
  h1: 'Heading 1',
  h2: 'Heading 2',
  h3: 'Heading 3',
  bullet: 'Bulleted list',
  number: 'Numbered list',
  check: 'Check list',
  quote: 'Quote',
  code: 'Code block',
};

/** The top-level block the selection's anchor is in (list items count as their list). */
export function $topBlock(node: LexicalNode): ElementNode | null {
  const block =
    node.getKey() === 'root'
      ? null
      : $findMatchingParent(node, (n) => {
          const parent = n.getParent();
          return parent !== null && $isRootOrShadowRoot(parent);
        });
  return block as ElementNode | null;
}

/** The kind of block the selection is in, or null when there is no range selection. */
export function $selectedBlockType(): { type: BlockType; codeLanguage: string | null; blockKey: string } | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return null;
  const anchor = selection.anchor.getNode();
  const block = $topBlock(anchor);
  if (!block) return null;
  const blockKey = block.getKey();
  if ($isListNode(block)) {
    // The innermost list decides: a check list nested in a bullet list is a check list here.
    const list = $getNearestNodeOfType(anchor, ListNode) ?? block;
    const listType = list.getListType();
    return { type: listType === 'check' ? 'check' : listType === 'number' ? 'number' : 'bullet', codeLanguage: null, blockKey };
  }
  if ($isHeadingNode(block)) {
    const tag = block.getTag();
    return { type: tag === 'h1' || tag === 'h2' ? tag : 'h3', codeLanguage: null, blockKey };
  }
  if ($isQuoteNode(block)) return { type: 'quote', codeLanguage: null, blockKey };
  if ($isCodeNode(block)) return { type: 'code', codeLanguage: block.getLanguage() ?? null, blockKey };
  return { type: 'paragraph', codeLanguage: null, blockKey };
}

/** Makes the selected blocks `type` (from any other type; the same type turns lists back into text). */
export function setBlockType(editor: LexicalEditor, type: BlockType): void {
  const current = editor.getEditorState().read(() => $selectedBlockType()?.type ?? null);
  switch (type) {
    case 'bullet':
      editor.dispatchCommand(current === 'bullet' ? REMOVE_LIST_COMMAND : INSERT_UNORDERED_LIST_COMMAND, undefined);
      return;
    case 'number':
      editor.dispatchCommand(current === 'number' ? REMOVE_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND, undefined);
      return;
    case 'check':
      editor.dispatchCommand(current === 'check' ? REMOVE_LIST_COMMAND : INSERT_CHECK_LIST_COMMAND, undefined);
      return;
  }
  editor.update(() => {
    const selection = $getSelection();
    if (!$isRangeSelection(selection)) return;
    switch (type) {
      case 'paragraph':
        $setBlocksType(selection, () => $createParagraphNode());
        return;
      case 'h1':
      case 'h2':
      case 'h3':
        $setBlocksType(selection, () => (current === type ? $createParagraphNode() : $createHeadingNode(type)));
        return;
      case 'quote':
        $setBlocksType(selection, () => (current === 'quote' ? $createParagraphNode() : $createQuoteNode()));
        return;
      case 'code':
        if (current === 'code') {
          $setBlocksType(selection, () => $createParagraphNode());
        } else if (selection.isCollapsed()) {
          $setBlocksType(selection, () => $createCodeNode());
        } else {
          // Several lines selected: one code block holding their text.
          const text = selection.getTextContent();
          selection.insertNodes([$createCodeNode()]);
          const inCode = $getSelection();
          if ($isRangeSelection(inCode)) inCode.insertRawText(text);
        }
        return;
    }
  });
}

/** Sets the language of the code block with key `blockKey`. */
export function setCodeLanguage(editor: LexicalEditor, blockKey: string, language: string): void {
  editor.update(() => {
    const node = $getNodeByKey(blockKey);
    if ($isCodeNode(node)) node.setLanguage(language === 'plain' ? null : language);
  });
}

export function insertTable(editor: LexicalEditor, rows = 3, columns = 3): void {
  editor.dispatchCommand(INSERT_TABLE_COMMAND, { rows: String(rows), columns: String(columns), includeHeaders: { rows: true, columns: false } });
}

export function insertDivider(editor: LexicalEditor): void {
  editor.dispatchCommand(INSERT_HORIZONTAL_RULE_COMMAND, undefined);
}

/** Whether the caret is inside a code block (where "/", "@" and "[[" are just code). */
export function $selectionInCode(): boolean {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return false;
  return $findMatchingParent(selection.anchor.getNode(), (n) => $isCodeNode(n)) !== null;
}
