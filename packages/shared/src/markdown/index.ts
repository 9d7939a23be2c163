export { $collectAttachments, $collectDocLinks, $collectMentions } from './collect.ts';
export { editorStateToMarkdown, editorStateToPlainText, markdownToEditorState } from './editor-state.ts';
export { $blockMarkdowns, $nodesToMarkdown, $rootToMarkdown } from './markdown-export.ts';
export { $markdownToNodes, $setRootFromMarkdown, mentionedHandles, parseMarkdown, type MarkdownImportOptions } from './markdown-import.ts';
export { $rootToPlainText } from './plain-text.ts';
export { isSafeLinkUrl } from './safe-url.ts';
