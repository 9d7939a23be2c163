import { $isCodeNode } from '@lexical/code';
import { $isHorizontalRuleNode } from '@lexical/extension';
import { $isListItemNode, $isListNode } from '@lexical/list';
import { $isTableCellNode, $isTableNode, $isTableRowNode } from '@lexical/table';
import { $getRoot, $isElementNode, type LexicalNode } from 'lexical';

/** Plain text of one block: list items and table rows one per line, table cells separated by tabs. */
function $blockPlainText(node: LexicalNode): string {
  if ($isListNode(node)) {
    return node
      .getChildren()
      .map((item) => {
        const only = $isListItemNode(item) && item.getChildrenSize() === 1 ? item.getFirstChild() : null;
        return $isListNode(only) ? $blockPlainText(only) : item.getTextContent();
      })
      .join('\n');
  }
  if ($isTableNode(node)) {
    return node
      .getChildren()
      .filter($isTableRowNode)
      .map((row) =>
        row
          .getChildren()
          .filter($isTableCellNode)
          .map((cell) => cell.getChildren().map((block) => block.getTextContent()).join(' '))
          .join('\t'),
      )
      .join('\n');
  }
  if ($isHorizontalRuleNode(node)) return '';
  if ($isCodeNode(node)) return node.getTextContent();
  if ($isElementNode(node) && !node.isInline()) {
    const children = node.getChildren();
    if (children.some((child) => $isElementNode(child) && !child.isInline())) {
      return children.map($blockPlainText).filter((text) => text !== '').join('\n\n');
    }
  }
  return node.getTextContent();
}

/**
 * The document as plain text: top-level blocks separated by one blank line, no Markdown syntax
 * (used by search and diffs). Must run inside `editor.read()` or `editor.update()`.
 */
export function $rootToPlainText(): string {
  return $getRoot()
    .getChildren()
    .map($blockPlainText)
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}
