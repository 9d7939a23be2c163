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
export {
  attachmentIdFromUrl,
  formatFileSize,
  isSafeImageSrc,
  MAX_IMAGE_WIDTH,
} from './attachment-url.ts';
export { $createFileNode, $isFileNode, type FilePayload, FileNode, type SerializedFileNode } from './FileNode.ts';
export { $createImageNode, $isImageNode, type ImagePayload, ImageNode, type SerializedImageNode } from './ImageNode.ts';
