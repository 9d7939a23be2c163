import { diffArrays } from 'diff';
import { $getRoot, type LexicalNode } from 'lexical';
import { $markdownToNodes, $nodesToMarkdown, type MarkdownImportOptions } from '@handoff/shared/markdown';

/**
 * Makes the root's blocks equal to `markdown` by replacing only the top-level blocks that differ
 * (a longest-common-subsequence over each block's Markdown). Blocks that stay the same keep their
 * Lexical (and so Yjs) identity, which is what lets a concurrent edit inside them survive.
 * Must run inside `editor.update()`.
 */
export function $replaceChangedBlocks(markdown: string, options?: MarkdownImportOptions): boolean {
  const root = $getRoot();
  const oldNodes = root.getChildren();
  const newNodes = $markdownToNodes(markdown, options);
  const key = (n: LexicalNode) => $nodesToMarkdown([n]);
  const parts = diffArrays(oldNodes.map(key), newNodes.map(key));
  let oldAt = 0;
  let newAt = 0;
  let anchor: LexicalNode | null = null;
  let changed = false;
  for (const part of parts) {
    const n = part.count ?? part.value.length;
    if (part.removed) {
      for (let i = 0; i < n; i++) oldNodes[oldAt++]?.remove();
      changed = true;
    } else if (part.added) {
      for (let i = 0; i < n; i++) {
        const node = newNodes[newAt++];
        if (!node) continue;
        if (anchor) anchor.insertAfter(node);
        else {
          const first = root.getFirstChild();
          if (first) first.insertBefore(node);
          else root.append(node);
        }
        anchor = node;
      }
      changed = true;
    } else {
      oldAt += n;
      newAt += n;
      anchor = oldNodes[oldAt - 1] ?? anchor;
    }
  }
  return changed;
}
