import type { SerializedEditorState } from 'lexical';
import { createHandoffHeadlessEditor } from '@handoff/shared/lexical';
import { $blockMarkdowns } from '@handoff/shared/markdown';

/** The Markdown of each top-level block of a stored Lexical state (for diffs). */
export function blocksOfContent(content: string): string[] {
  const editor = createHandoffHeadlessEditor();
  const state = editor.parseEditorState(JSON.parse(content) as SerializedEditorState);
  return state.read(() => $blockMarkdowns());
}
