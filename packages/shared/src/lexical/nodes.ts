import { CodeHighlightNode, CodeNode } from '@lexical/code';
import { HorizontalRuleNode } from '@lexical/extension';
import { createHeadlessEditor } from '@lexical/headless';
import { AutoLinkNode, LinkNode } from '@lexical/link';
import { ListItemNode, ListNode } from '@lexical/list';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { TableCellNode, TableNode, TableRowNode } from '@lexical/table';
import type { Klass, LexicalEditor, LexicalNode } from 'lexical';
import { DocLinkNode } from './DocLinkNode.ts';
import { FileNode } from './FileNode.ts';
import { ImageNode } from './ImageNode.ts';
import { MentionNode } from './MentionNode.ts';

/**
 * The one node set of a Handoff document. The headless server editor, the web editor and the
 * Markdown conversion all register exactly this list, so that every collaborator can read every
 * Y.Doc.
 */
export const handoffNodes: ReadonlyArray<Klass<LexicalNode>> = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  CodeNode,
  CodeHighlightNode,
  LinkNode,
  AutoLinkNode,
  TableNode,
  TableRowNode,
  TableCellNode,
  HorizontalRuleNode,
  MentionNode,
  DocLinkNode,
  ImageNode,
  FileNode,
];

/** A headless (DOM-less) editor with the Handoff node set; any error inside an update throws. */
export function createHandoffHeadlessEditor(): LexicalEditor {
  return createHeadlessEditor({
    namespace: 'handoff',
    nodes: [...handoffNodes],
    onError: (error) => {
      throw error;
    },
  });
}
