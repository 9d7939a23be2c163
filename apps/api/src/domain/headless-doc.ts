import * as Y from 'yjs';
import { createYjsBinding, syncLexicalUpdateToYjs, syncYjsChangesToLexical, type Provider } from '@lexical/yjs';
import { DecoratorNode, ElementNode, SKIP_COLLAB_TAG, TextNode, type LexicalEditor, type SerializedEditorState } from 'lexical';
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
  /** Nodes the shared node set cannot load, removed from this (owned) Y.Doc when it was opened. */
  readonly skipped: SkippedNode[];
  /** The first error of syncing Yjs changes into the editor (an update the node set cannot load). */
  readonly failure: Error | null;
}

/** A node of a stored body that no registered Lexical node can represent. */
export interface SkippedNode {
  /** Its `__type` (or what it was instead of a string). */
  type: string;
  /** `element`, `decorator`, `text` (its Yjs shape), or `text-run` for text without a text node. */
  shape: string;
  reason: string;
}

let skippedReporter: ((skipped: SkippedNode[]) => void) | null = null;

/** Where to report nodes skipped while opening a stored body (the collaboration server logs them). */
export function reportSkippedNodes(reporter: ((skipped: SkippedNode[]) => void) | null): void {
  skippedReporter = reporter;
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
 *
 * A stored body holding a node the node set cannot load (an unregistered `__type`, or a shape that
 * does not match its type) does not fail the whole document: on an owned Y.Doc, those nodes are
 * deleted from this copy (listed in `skipped`, reported) and the editor opens the rest.
 */
export function openHeadlessDoc(state?: Uint8Array | null, options: { doc?: Y.Doc } = {}): HeadlessDoc {
  const first = bind(options.doc ?? new Y.Doc(), !options.doc);
  if (!state || state.byteLength === 0) return first;
  first.apply(state);
  if (!first.failure || options.doc) return first;
  // Skip what the node set cannot load, on a fresh copy, and open that.
  first.dispose();
  const clean = new Y.Doc();
  Y.applyUpdate(clean, state);
  const skipped = sanitize(clean, createHandoffHeadlessEditor());
  if (!skipped.length) {
    clean.destroy();
    throw first.failure;
  }
  const opened = bind(new Y.Doc(), true);
  opened.apply(Y.encodeStateAsUpdate(clean));
  clean.destroy();
  if (opened.failure) {
    opened.dispose();
    throw opened.failure;
  }
  opened.skipped.push(...skipped);
  skippedReporter?.(skipped);
  return opened;
}

function bind(doc: Y.Doc, owned: boolean): HeadlessDoc & { apply(update: Uint8Array): void; skipped: SkippedNode[] } {
  const editor = createHandoffHeadlessEditor();
  const binding = createYjsBinding({ editor, id: BINDING_ID, doc, docMap: new Map([[BINDING_ID, doc]]) });
  const root = binding.root.getSharedType();
  let failure: Error | null = null;
  const onYjs = (events: Array<Y.YEvent<Y.XmlText>>, transaction: Y.Transaction) => {
    if (transaction.origin === binding || failure) return;
    try {
      syncYjsChangesToLexical(binding, noAwareness, events, false);
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
    }
  };
  root.observeDeep(onYjs as Parameters<typeof root.observeDeep>[0]);
  const stopListening = editor.registerUpdateListener(
    ({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
      if (!tags.has(SKIP_COLLAB_TAG)) {
        syncLexicalUpdateToYjs(binding, noAwareness, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
      }
    },
  );
  const flush = () => {
    if (failure) return;
    try {
      editor.update(() => {}, { discrete: true });
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
    }
  };
  return {
    doc,
    editor,
    skipped: [],
    get failure() {
      return failure;
    },
    apply(update) {
      Y.applyUpdate(doc, update, 'remote');
      flush();
    },
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
      if (owned) doc.destroy();
    },
  };
}

type Shape = 'element' | 'decorator' | 'text';

function shapeOf(type: unknown): Shape | null {
  if (type instanceof Y.XmlText) return 'element';
  if (type instanceof Y.XmlElement) return 'decorator';
  if (type instanceof Y.Map) return 'text';
  return null;
}

/** Why the node set cannot load `child` (an embed of an element), or null when it can. */
function unloadable(editor: LexicalEditor, child: unknown, parentIsRoot: boolean): SkippedNode | null {
  const shape = shapeOf(child);
  if (!shape) return { type: typeof child, shape: 'embed', reason: 'not a Lexical node' };
  const raw = shape === 'text' ? (child as Y.Map<unknown>).get('__type') : (child as Y.XmlText | Y.XmlElement).getAttribute('__type');
  const type = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? 'undefined';
  if (typeof raw !== 'string') return { type, shape, reason: 'no node type' };
  const klass = editor._nodes.get(raw)?.klass;
  if (!klass) return { type, shape, reason: 'not registered' };
  const is = (base: { prototype: object }) => klass === (base as unknown) || klass.prototype instanceof (base as unknown as typeof ElementNode);
  const fits =
    shape === 'element'
      ? is(ElementNode) && raw !== 'root'
      : shape === 'decorator'
        ? is(DecoratorNode)
        : !parentIsRoot && (raw === 'linebreak' || is(TextNode));
  return fits ? null : { type, shape, reason: `a ${raw} node cannot be stored as ${shape === 'text' ? 'a text node' : `an ${shape}`} here` };
}

/**
 * Deletes, from `doc`, every node of the body that `editor`'s node set cannot load (with the text
 * of a removed text node), depth first; returns what it removed. Cheap when nothing is wrong: one
 * walk over the block structure.
 */
export function sanitize(doc: Y.Doc, editor: LexicalEditor): SkippedNode[] {
  const skipped: SkippedNode[] = [];
  const visit = (element: Y.XmlText, isRoot: boolean) => {
    const cuts: Array<[number, number]> = [];
    let index = 0;
    let textOwner: 'ok' | 'cut' | null = null; // the text node the following characters belong to
    for (const op of element.toDelta() as Array<{ insert: unknown }>) {
      const insert = op.insert;
      if (typeof insert === 'string') {
        if (textOwner !== 'ok') {
          if (textOwner === null) skipped.push({ type: 'text', shape: 'text-run', reason: 'text without a text node' });
          cuts.push([index, insert.length]);
        }
        index += insert.length;
        continue;
      }
      const problem = unloadable(editor, insert, isRoot);
      if (problem) {
        skipped.push(problem);
        cuts.push([index, 1]);
        textOwner = shapeOf(insert) === 'text' ? 'cut' : null;
      } else if (insert instanceof Y.Map) {
        textOwner = insert.get('__type') === 'linebreak' ? null : 'ok';
      } else {
        textOwner = null;
        if (insert instanceof Y.XmlText) visit(insert, false);
      }
      index += 1;
    }
    if (!cuts.length) return;
    doc.transact(() => {
      for (const [at, length] of cuts.reverse()) element.delete(at, length);
    }, 'handoff-sanitize');
  };
  visit(doc.get('root', Y.XmlText), true);
  return skipped;
}

/** Applies a Yjs update that came from elsewhere and lets the editor catch up. */
export function applyRemoteUpdate(h: HeadlessDoc, update: Uint8Array): void {
  Y.applyUpdate(h.doc, update, 'remote');
  if (!h.failure) h.editor.update(() => {}, { discrete: true });
  if (h.failure) throw h.failure;
}
