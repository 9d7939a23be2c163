import { $getRoot, $isElementNode, type LexicalNode } from 'lexical';
import { $isDocLinkNode } from '../lexical/DocLinkNode.ts';
import { $isMentionNode } from '../lexical/MentionNode.ts';

function $eachNode(visit: (node: LexicalNode) => void): void {
  const stack: LexicalNode[] = [$getRoot()];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    visit(node);
    if ($isElementNode(node)) {
      const children = node.getChildren();
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
}

/** The distinct handles of the MentionNodes in the document, in document order. */
export function $collectMentions(): string[] {
  const handles = new Set<string>();
  $eachNode((node) => {
    if ($isMentionNode(node)) handles.add(node.getHandle());
  });
  return [...handles];
}

/** The distinct document ids the DocLinkNodes of the document point at, in document order. */
export function $collectDocLinks(): string[] {
  const ids = new Set<string>();
  $eachNode((node) => {
    if ($isDocLinkNode(node) && node.getDocId() !== '') ids.add(node.getDocId());
  });
  return [...ids];
}
