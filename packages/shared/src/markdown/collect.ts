import { $getRoot, $isElementNode, type LexicalNode } from 'lexical';
import { attachmentIdFromUrl } from '../lexical/attachment-url.ts';
import { $isDocLinkNode } from '../lexical/DocLinkNode.ts';
import { $isFileNode } from '../lexical/FileNode.ts';
import { $isImageNode } from '../lexical/ImageNode.ts';
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

/**
 * The distinct attachment ids (`/api/attachments/<id>`, relative or absolute) the ImageNodes and
 * FileNodes of the document point at, in document order. Ordinary links to an attachment URL are
 * not counted.
 */
export function $collectAttachments(): string[] {
  const ids = new Set<string>();
  $eachNode((node) => {
    if (!$isImageNode(node) && !$isFileNode(node)) return;
    const id = attachmentIdFromUrl(node.getSrc());
    if (id !== null) ids.add(id);
  });
  return [...ids];
}
