import * as Y from 'yjs';
import { createYjsBinding, syncLexicalUpdateToYjs, syncYjsChangesToLexical, type Provider } from '@lexical/yjs';
import { SKIP_COLLAB_TAG, type LexicalEditor, type SerializedEditorState } from 'lexical';
import { createHandoffHeadlessEditor } from '@handoff/shared/lexical';

/**
 * A headless Lexical editor bound to a Y.Doc with @lexical/yjs's V1 binding (shared type `root`,
 * an XmlText) — the same layout the web editor uses, so the server reads and writes document
 * bodies exactly as a collaborator would. No React, no DOM.
 */
export interface HeadlessDoc {
  readonly doc: Y.Doc;
  readonly editor: LexicalEditor;
  /** Runs `fn` as one discrete Lexical update and syncs it into the Y.Doc before returning. */
  update(fn: () => void): void;
  read<T>(fn: () => T): T;
  toJSON(): SerializedEditorState;
  dispose(): void;
}

const BINDING_ID = 'handoff';

/** The binding only needs awareness for cursors, which a server-side editor has none of. */
const noAwareness: Provider = {
  awareness: {
    getLocalState: () => null,
    getStates: () => new Map(),
    setLocalState: () => {},
    setLocalStateField: () => {},
    on: () => {},
    off: () => {},
  },
  connect: () => {},
  disconnect: () => {},
  on: () => {},
  off: () => {},
} as unknown as Provider;

/**
 * Opens a Y.Doc from its encoded state (or empty) with an editor that mirrors it. Pass `doc` to bind
 * the editor to a Y.Doc someone else owns (e.g. a collaboration provider's); `dispose` then leaves
 * that document alone.
 */
export function openHeadlessDoc(state?: Uint8Array | null, options: { doc?: Y.Doc } = {}): HeadlessDoc {
  const editor = createHandoffHeadlessEditor();
  const doc = options.doc ?? new Y.Doc();
  const binding = createYjsBinding({ editor, id: BINDING_ID, doc, docMap: new Map([[BINDING_ID, doc]]) });
  const root = binding.root.getSharedType();
  const onYjs = (events: Array<Y.YEvent<Y.XmlText>>, transaction: Y.Transaction) => {
    if (transaction.origin !== binding) syncYjsChangesToLexical(binding, noAwareness, events, false);
  };
  root.observeDeep(onYjs as Parameters<typeof root.observeDeep>[0]);
  const stopListening = editor.registerUpdateListener(
    ({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
      if (!tags.has(SKIP_COLLAB_TAG)) {
        syncLexicalUpdateToYjs(binding, noAwareness, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
      }
    },
  );
  const flush = () => editor.update(() => {}, { discrete: true });
  if (state && state.byteLength > 0) {
    Y.applyUpdate(doc, state);
    flush();
  }
  return {
    doc,
    editor,
    update(fn) {
      editor.update(fn, { discrete: true });
    },
    read(fn) {
      return editor.getEditorState().read(fn);
    },
    toJSON() {
      return editor.getEditorState().toJSON();
    },
    dispose() {
      stopListening();
      root.unobserveDeep(onYjs as Parameters<typeof root.observeDeep>[0]);
      if (!options.doc) doc.destroy();
    },
  };
}

/** Applies a Yjs update that came from elsewhere and lets the editor catch up. */
export function applyRemoteUpdate(h: HeadlessDoc, update: Uint8Array): void {
  Y.applyUpdate(h.doc, update, 'remote');
  h.editor.update(() => {}, { discrete: true });
}
