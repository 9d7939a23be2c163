import type { SerializedEditorState } from 'lexical';
import { createHandoffHeadlessEditor } from '../lexical/nodes.ts';
import { $rootToMarkdown } from './markdown-export.ts';
import { $setRootFromMarkdown, type MarkdownImportOptions } from './markdown-import.ts';
import { $rootToPlainText } from './plain-text.ts';

/** Markdown -> Lexical editor state JSON, through a throwaway headless editor. */
export function markdownToEditorState(markdown: string, options?: MarkdownImportOptions): SerializedEditorState {
  const editor = createHandoffHeadlessEditor();
  editor.update(() => $setRootFromMarkdown(markdown, options), { discrete: true });
  return editor.getEditorState().toJSON();
}

function readState<T>(json: SerializedEditorState, read: () => T): T {
  const editor = createHandoffHeadlessEditor();
  return editor.parseEditorState(json).read(read);
}

/** Lexical editor state JSON -> Markdown. */
export function editorStateToMarkdown(json: SerializedEditorState): string {
  return readState(json, $rootToMarkdown);
}

/** Lexical editor state JSON -> plain text (blocks separated by blank lines). */
export function editorStateToPlainText(json: SerializedEditorState): string {
  return readState(json, $rootToPlainText);
}
