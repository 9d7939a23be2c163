export {
  $createDocLinkNode,
  $isDocLinkNode,
  DocLinkNode,
  docIdFromUrl,
  docUrl,
  type SerializedDocLinkNode,
} from './DocLinkNode.ts';
export { $createMentionNode, $isMentionNode, MentionNode, type SerializedMentionNode } from './MentionNode.ts';
export { createHandoffHeadlessEditor, handoffNodes } from './nodes.ts';
