import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useEffect } from 'react';
import type { Thread } from '../api/model.ts';
import { useThreads } from '../api/queries.ts';
import type { CollabSession } from '../editor/collab-session.ts';
import type { CommentsController } from './comments-controller.ts';
import { startComment } from './start-comment.ts';
import { useCommentHighlights } from './use-comment-highlights.ts';
import { useThreadEvents } from './use-thread-events.ts';

const NO_THREADS: Thread[] = [];

/** Typing into a field (other than the editor) keeps its own keys. */
function isOtherField(target: EventTarget | null, root: HTMLElement | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (root?.contains(target)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * The comments' side of the editor: highlights of the threads' text, the live updates of the
 * threads, and the Ctrl/Cmd-Alt-M shortcut (a comment on the selection, or on the whole document
 * when nothing is selected).
 */
export function CommentsPlugin({
  docId,
  session,
  controller,
  restriction,
  ready,
}: {
  docId: string;
  session: CollabSession;
  controller: CommentsController;
  restriction: string | null;
  /** The editor holds the server's content (so a thread it cannot find has lost its text). */
  ready: boolean;
}): null {
  const [editor] = useLexicalComposerContext();
  const threads = useThreads(docId).data ?? NO_THREADS;
  useThreadEvents(session, docId);
  useCommentHighlights({ editor, doc: session.doc, threads, controller, ready });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.code !== 'KeyM') return;
      if (isOtherField(event.target, editor.getRootElement())) return;
      event.preventDefault();
      if (restriction) controller.setNotice(restriction);
      else startComment(editor, session.doc, controller);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [editor, session, controller, restriction]);

  return null;
}
