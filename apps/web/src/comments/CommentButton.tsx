import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import type { LexicalEditor } from 'lexical';
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { COMMENT_SHORTCUT } from './comment-shortcut.ts';
import type { CommentsController } from './comments-controller.ts';
import { editorDomSelection, startComment } from './start-comment.ts';


/** Whether text is selected in the editor (what "Comment" needs). */
function useEditorHasSelection(editor: LexicalEditor): boolean {
  const [has, setHas] = useState(false);
  useEffect(() => {
    const check = () => setHas(editorDomSelection(editor) !== null);
    check();
    document.addEventListener('selectionchange', check);
    return () => document.removeEventListener('selectionchange', check);
  }, [editor]);
  return has;
}

/**
 * "Comment" on the selected text: in the formatting toolbar for editors, in the editor's bar for
 * readers. Disabled (with the reason) where the space lets only editors comment.
 */
export function CommentButton({
  doc,
  controller,
  restriction,
  className = 'toolbar-button comment-button',
}: {
  doc: Y.Doc;
  controller: CommentsController;
  /** Why the caller may not comment here (null: they may). */
  restriction: string | null;
  className?: string;
}) {
  const [editor] = useLexicalComposerContext();
  const hasSelection = useEditorHasSelection(editor);
  const title = restriction ?? (hasSelection ? `Comment on the selected text (${COMMENT_SHORTCUT})` : `Select text to comment on it (${COMMENT_SHORTCUT})`);
  return (
    <button
      type="button"
      className={className}
      title={title}
      aria-label={title}
      disabled={restriction !== null || !hasSelection}
      data-testid="comment-button"
      onMouseDown={(event) => event.preventDefault()} // keep the selection in the editor
      onClick={() => startComment(editor, doc, controller)}
    >
      <CommentIcon /> Comment
    </button>
  );
}

function CommentIcon() {
  return (
    <svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinejoin="round" aria-hidden="true">
      <path d="M4 5h16v11H9l-5 4z" />
    </svg>
  );
}
