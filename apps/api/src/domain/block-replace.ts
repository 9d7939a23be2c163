import { diffArrays } from 'diff';
import { $getRoot, $isElementNode, $parseSerializedNode, type LexicalNode, type SerializedLexicalNode } from 'lexical';
import { $markdownToNodes, $nodesToMarkdown, type MarkdownImportOptions } from '@handoff/shared/markdown';

/**
 * Makes the root's top-level blocks equal to `next` by replacing only the blocks whose key differs
 * (a longest-common-subsequence over the keys). Blocks that stay the same keep their Lexical (and
 * so Yjs) identity, which is what lets a concurrent edit inside them survive. Returns whether
 * anything changed. Must run inside `editor.update()`.
 */
export function $replaceBlocks(next: LexicalNode[], keyOf: (node: LexicalNode) => string): boolean {
  const root = $getRoot();
  const oldNodes = root.getChildren();
  const parts = diffArrays(oldNodes.map(keyOf), next.map(keyOf));
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
        const node = next[newAt++];
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

/**
 * The body becomes `markdown` (a PATCH): blocks compared by their Markdown, so a block whose
 * Markdown did not change keeps formatting Markdown cannot express.
 */
export function $replaceChangedBlocks(markdown: string, options?: MarkdownImportOptions): boolean {
  return $replaceBlocks($markdownToNodes(markdown, options), (n) => $nodesToMarkdown([n]));
}

/** A node and everything below it as Lexical JSON (element `exportJSON` leaves children out). */
export function $exportDeep(node: LexicalNode): SerializedLexicalNode {
  const json = node.exportJSON();
  if ($isElementNode(node)) return { ...json, children: node.getChildren().map($exportDeep) } as SerializedLexicalNode;
  return json;
}

/**
 * The body becomes the serialized top-level blocks `blocks` (a restore from a revision's stored
 * Lexical JSON): blocks compared by their full JSON, so a difference only in formatting (underline,
 * highlight, sub/superscript, …) is a difference and is restored — which Markdown cannot carry.
 */
export function $replaceWithSerialized(blocks: SerializedLexicalNode[]): boolean {
  return $replaceBlocks(
    blocks.map((b) => $parseSerializedNode(b)),
    (n) => JSON.stringify($exportDeep(n)),
  );
}
