// The collaborative document editor: Lexical bound to the document's Y.Doc through Hocuspocus.
//
// The Y.Doc is the source of truth. The editor starts empty (`editorState: null`), never seeds
// content (`shouldBootstrap={false}`: the server creates every document's first state) and has no
// History plugin (undo and redo come from the collaboration plugin's Yjs undo manager).

import { handoffNodes } from '@handoff/shared/lexical';
import { autoLinkEmailMatcher, autoLinkUrlMatcher } from '@lexical/link';
import { AutoLinkPlugin } from '@lexical/react/LexicalAutoLinkPlugin';
import { CheckListPlugin } from '@lexical/react/LexicalCheckListPlugin';
import { LexicalCollaboration } from '@lexical/react/LexicalCollaborationContext';
import { CollaborationPlugin } from '@lexical/react/LexicalCollaborationPlugin';
import { LexicalComposer, type InitialConfigType } from '@lexical/react/LexicalComposer';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { EditorRefPlugin } from '@lexical/react/LexicalEditorRefPlugin';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { LinkPlugin } from '@lexical/react/LexicalLinkPlugin';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { MarkdownShortcutPlugin } from '@lexical/react/LexicalMarkdownShortcutPlugin';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { TabIndentationPlugin } from '@lexical/react/LexicalTabIndentationPlugin';
import { TablePlugin } from '@lexical/react/LexicalTablePlugin';
import type { Provider } from '@lexical/yjs';
import type { LexicalEditor } from 'lexical';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import type { Doc as YDoc } from 'yjs';
import type { User } from '../api/model.ts';
import { CommentButton } from '../comments/CommentButton.tsx';
import type { CommentsController } from '../comments/comments-controller.ts';
import { CommentsPlugin } from '../comments/CommentsPlugin.tsx';
import { CollabSession, type AwarenessData } from './collab-session.ts';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { editorTheme } from './editor-theme.ts';
import { MARKDOWN_SHORTCUTS } from './markdown-shortcuts.ts';
import { CodeHighlightPlugin } from './plugins/CodeHighlightPlugin.tsx';
import { DocLinksPlugin } from './plugins/DocLinksPlugin.tsx';
import { EditablePlugin } from './plugins/EditablePlugin.tsx';
import { HorizontalRulePlugin } from './plugins/HorizontalRulePlugin.tsx';
import { MentionsPlugin } from './plugins/MentionsPlugin.tsx';
import { SafeLinksPlugin } from './plugins/SafeLinksPlugin.tsx';
import { SlashMenuPlugin } from './plugins/SlashMenuPlugin.tsx';
import { ToolbarPlugin } from './plugins/ToolbarPlugin.tsx';
import { Presence } from './Presence.tsx';
import { isSafeUrl } from './safe-url.ts';
import { userColor } from './user-color.ts';

const AUTO_LINK_MATCHERS = [autoLinkUrlMatcher, autoLinkEmailMatcher];

/** The comments of the open document, as the editor takes part in them. */
export interface EditorComments {
  controller: CommentsController;
  /** Why the caller may not comment on this document (null: they may). */
  restriction: string | null;
}

export interface EditorProps {
  docId: string;
  user: Pick<User, 'id' | 'name'>;
  /** The caller may change this document (editor or admin of its space). */
  canEdit: boolean;
  /** Receives the Lexical editor once it exists (e.g. to move the caret into the body). */
  editorRef?: RefObject<LexicalEditor | null>;
  /** Comment on the selection, highlight the threads' text (absent: no comments). */
  comments?: EditorComments;
}

export function Editor({ docId, user, canEdit, editorRef, comments }: EditorProps) {
  const { session, providerFactory } = useCollabSession();
  const cursorsRef = useRef<HTMLDivElement>(null);
  const status = useSessionStatus(session);

  // Editable once the server's state has arrived (and from then on, offline too), unless the
  // role or the server says read-only.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    if (status?.synced) setLoaded(true);
  }, [status?.synced]);
  const readOnly = !canEdit || status?.readOnly === true || status?.refused != null;
  const editable = loaded && !readOnly;

  const initialConfig = useMemo<InitialConfigType>(
    () => ({
      namespace: 'handoff',
      editorState: null,
      nodes: [...handoffNodes],
      theme: editorTheme,
      editable: false,
      onError: (error: Error) => {
        console.error('editor error', error);
      },
    }),
    [],
  );

  // Stable identities: the collaboration plugin reconnects when these change.
  const awarenessData = useMemo<AwarenessData>(() => ({ userId: user.id }), [user.id]);
  const cursorColor = useMemo(() => userColor(user.id), [user.id]);

  return (
    <LexicalCollaboration>
      <LexicalComposer initialConfig={initialConfig}>
        <section className="editor" data-testid="editor-shell" data-editable={editable ? 'true' : 'false'}>
          <div className="editor-bar">
            {session && <Presence session={session} />}
            <span className="editor-bar-spacer" />
            {readOnly && (
              <span className="badge" data-testid="view-only-badge">
                View only
              </span>
            )}
            {readOnly && session && comments && (
              <CommentButton doc={session.doc} controller={comments.controller} restriction={comments.restriction} className="small comment-button" />
            )}
            {session && <ConnectionStatus session={session} />}
          </div>
          {!readOnly && (
            <ToolbarPlugin>
              {session && comments && <CommentButton doc={session.doc} controller={comments.controller} restriction={comments.restriction} />}
            </ToolbarPlugin>
          )}
          <div className="editor-surface">
            <RichTextPlugin
              contentEditable={
                <ContentEditable
                  className="editor-input"
                  data-testid="editor"
                  ariaLabel="Document body"
                  aria-placeholder={loaded ? 'Type / for blocks, @ to mention someone, [[ to link a document' : 'Loading…'}
                  placeholder={
                    <div className="editor-placeholder" aria-hidden="true">
                      {loaded
                        ? editable
                          ? 'Type / for blocks, @ to mention someone, [[ to link a document'
                          : 'This document is empty.'
                        : 'Loading…'}
                    </div>
                  }
                />
              }
              ErrorBoundary={LexicalErrorBoundary}
            />
            <div ref={cursorsRef} className="editor-cursors" aria-hidden="true" />
          </div>
          <CollaborationPlugin
            id={docId}
            providerFactory={providerFactory}
            shouldBootstrap={false}
            username={user.name}
            cursorColor={cursorColor}
            cursorsContainerRef={cursorsRef}
            awarenessData={awarenessData}
          />
          <EditablePlugin editable={editable} />
          <ListPlugin />
          <CheckListPlugin />
          <LinkPlugin validateUrl={isSafeUrl} />
          <AutoLinkPlugin matchers={AUTO_LINK_MATCHERS} />
          <SafeLinksPlugin />
          <TablePlugin hasCellMerge={false} hasCellBackgroundColor={false} hasHorizontalScroll />
          <TabIndentationPlugin maxIndent={6} />
          <MarkdownShortcutPlugin transformers={MARKDOWN_SHORTCUTS} />
          <HorizontalRulePlugin />
          <CodeHighlightPlugin />
          <SlashMenuPlugin />
          <MentionsPlugin />
          <DocLinksPlugin currentDocId={docId} />
          {editorRef && <EditorRefPlugin editorRef={editorRef} />}
          {session && comments && (
            <CommentsPlugin docId={docId} session={session} controller={comments.controller} restriction={comments.restriction} ready={loaded} />
          )}
        </section>
      </LexicalComposer>
    </LexicalCollaboration>
  );
}

/**
 * The document's CollabSession, created when the collaboration plugin first asks for a provider
 * and destroyed when the editor unmounts. Destruction waits a tick, so React's StrictMode
 * (unmount + mount again at once) keeps the same session.
 */
function useCollabSession(): {
  session: CollabSession | null;
  providerFactory: (id: string, yjsDocMap: Map<string, YDoc>) => Provider;
} {
  const [session, setSession] = useState<CollabSession | null>(null);
  const current = useRef<CollabSession | null>(null);
  const destroyTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const providerFactory = useCallback((id: string, yjsDocMap: Map<string, YDoc>): Provider => {
    let next = current.current;
    if (!next || next.docId !== id) {
      next?.destroy();
      next = new CollabSession(id);
      current.current = next;
      setSession(next);
    }
    yjsDocMap.set(id, next.doc);
    return next.lexicalProvider;
  }, []);

  useEffect(() => {
    if (destroyTimer.current) {
      clearTimeout(destroyTimer.current);
      destroyTimer.current = null;
    }
    return () => {
      destroyTimer.current = setTimeout(() => {
        current.current?.destroy();
        current.current = null;
      }, 0);
    };
  }, []);

  return { session, providerFactory };
}

const NO_SUBSCRIPTION = () => () => {};

function useSessionStatus(session: CollabSession | null) {
  return useSyncExternalStore(session?.subscribeStatus ?? NO_SUBSCRIPTION, () => session?.getStatus() ?? null);
}
